#define _GNU_SOURCE
#include "container_shim.h"
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <net/route.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

/// A socket of another network namespace: made on a thread of its own that enters the
/// namespace and ends (so no thread of the caller's is ever left in it); ioctls on the socket
/// then act in that namespace from any thread. This is `ip -n NS`'s work without its process
/// (which also remounts /sys in a mount namespace of its own: 10 to 20 ms a pod).
struct socket_in_netns { const char *path; int fd; int err; };

static void *open_socket_in_netns(void *raw) {
    struct socket_in_netns *job = raw;
    int ns = open(job->path, O_RDONLY | O_CLOEXEC);
    if (ns < 0) { job->err = errno; return NULL; }
    if (setns(ns, CLONE_NEWNET) != 0) { job->err = errno; close(ns); return NULL; }
    close(ns);
    job->fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (job->fd < 0) job->err = errno;
    return NULL;
}

static int set_up(int fd, const char *ifname) {
    struct ifreq req;
    memset(&req, 0, sizeof req);
    strncpy(req.ifr_name, ifname, IFNAMSIZ - 1);
    if (ioctl(fd, SIOCGIFFLAGS, &req) != 0) return -1;
    req.ifr_flags |= IFF_UP;
    return ioctl(fd, SIOCSIFFLAGS, &req);
}

static int set_address(int fd, const char *ifname, unsigned long request, in_addr_t address) {
    struct ifreq req;
    memset(&req, 0, sizeof req);
    strncpy(req.ifr_name, ifname, IFNAMSIZ - 1);
    struct sockaddr_in *sin = (struct sockaddr_in *)&req.ifr_addr;
    sin->sin_family = AF_INET;
    sin->sin_addr.s_addr = address;
    return ioctl(fd, request, &req);
}

int kp_configure_pod_interface(const char *netns_path, const char *ifname, const char *address, int prefix, const char *gateway) {
    struct in_addr addr, gw;
    if (prefix < 1 || prefix > 32 || strlen(ifname) >= IFNAMSIZ || inet_pton(AF_INET, address, &addr) != 1 ||
        inet_pton(AF_INET, gateway, &gw) != 1) {
        errno = EINVAL;
        return KP_IFACE_ADDRESS;
    }
    struct socket_in_netns job = {.path = netns_path, .fd = -1, .err = 0};
    pthread_t thread;
    int created = pthread_create(&thread, NULL, open_socket_in_netns, &job);
    if (created != 0) { errno = created; return KP_IFACE_NETNS; }
    pthread_join(thread, NULL);
    if (job.fd < 0) { errno = job.err; return KP_IFACE_NETNS; }
    int fd = job.fd, step = 0;
    in_addr_t mask = htonl(0xffffffffu << (32 - prefix));
    if (set_up(fd, "lo") != 0) step = KP_IFACE_LOOPBACK;
    else if (set_address(fd, ifname, SIOCSIFADDR, addr.s_addr) != 0 || set_address(fd, ifname, SIOCSIFNETMASK, mask) != 0) step = KP_IFACE_ADDRESS;
    else if (set_up(fd, ifname) != 0) step = KP_IFACE_UP;
    else {
        struct rtentry route;
        memset(&route, 0, sizeof route);
        struct sockaddr_in *dst = (struct sockaddr_in *)&route.rt_dst, *via = (struct sockaddr_in *)&route.rt_gateway,
                           *genmask = (struct sockaddr_in *)&route.rt_genmask;
        dst->sin_family = via->sin_family = genmask->sin_family = AF_INET;
        via->sin_addr = gw;
        route.rt_flags = RTF_UP | RTF_GATEWAY;
        if (ioctl(fd, SIOCADDRT, &route) != 0 && errno != EEXIST) step = KP_IFACE_ROUTE;
    }
    int saved = errno;
    close(fd);
    errno = saved;
    return step;
}
