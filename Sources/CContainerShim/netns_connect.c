#define _GNU_SOURCE
#include "container_shim.h"
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

static int connect_here(const char *ipv4, int port) {
    struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons((unsigned short)port) };
    if (inet_pton(AF_INET, ipv4, &addr.sin_addr) != 1) return -EINVAL;
    int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (s < 0) return -errno;
    int rc;
    do { rc = connect(s, (struct sockaddr *)&addr, sizeof addr); } while (rc < 0 && errno == EINTR);
    if (rc < 0) { int e = errno; close(s); return -e; }
    return s;
}

int kp_connect_in_netns(const char *netns_path, const char *ipv4, int port) {
    if (netns_path == NULL) return connect_here(ipv4, port);
    int self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
    if (self < 0) return -errno;
    int target = open(netns_path, O_RDONLY | O_CLOEXEC);
    if (target < 0) { int e = errno; close(self); return -e; }
    if (setns(target, CLONE_NEWNET) != 0) { int e = errno; close(target); close(self); return -e; }
    close(target);
    int s = connect_here(ipv4, port);
    // Back to the thread's own namespace; a thread left in the pod's would be wrong for every
    // later job it runs, so failing that is fatal.
    if (setns(self, CLONE_NEWNET) != 0) abort();
    close(self);
    return s;
}
