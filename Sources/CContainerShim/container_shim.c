#define _GNU_SOURCE
#include "container_shim.h"
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <poll.h>
#include <pthread.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/close_range.h>

static void fail(int err_fd, int step) {
    int report[2] = {errno, step};
    ssize_t ignored = write(err_fd, report, sizeof report);
    (void)ignored;
    _exit(127);
}

/// mkdir -p of an absolute path, without allocating (the path is copied onto the stack).
static int make_dirs(const char *path, int last_is_file) {
    char buf[4096];
    size_t n = strlen(path);
    if (n == 0 || n >= sizeof buf) { errno = ENAMETOOLONG; return -1; }
    memcpy(buf, path, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (buf[i] != '/' && buf[i] != '\0') continue;
        char saved = buf[i];
        buf[i] = '\0';
        int is_last = (i == n);
        if (is_last && last_is_file) {
            int fd = open(buf, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
            if (fd < 0 && errno != EEXIST && errno != EISDIR) return -1;
            if (fd >= 0) close(fd);
        } else if (mkdir(buf, 0755) != 0 && errno != EEXIST) {
            return -1;
        }
        buf[i] = saved;
    }
    return 0;
}

/// The container's process: mounts, root, directory, identity, descriptors, exec.
static void exec_container(const kp_spawn_spec *s, int err_fd, const sigset_t *mask) {
    if (s->new_namespaces) {
        if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) fail(err_fd, KP_STEP_MOUNT);
        if (s->hostname && sethostname(s->hostname, strlen(s->hostname)) != 0) fail(err_fd, KP_STEP_UNSHARE);
    }
    for (int i = 0; i < s->mount_count; i++) {
        const kp_mount *m = &s->mounts[i];
        if (m->create && make_dirs(m->target, m->create == 2) != 0) fail(err_fd, KP_STEP_MOUNT);
        if (mount(m->source, m->target, m->fstype, m->flags, m->data) != 0) fail(err_fd, KP_STEP_MOUNT);
        // A read-only bind takes a second, remounting call.
        if ((m->flags & MS_BIND) && (m->flags & MS_RDONLY)) {
            if (mount(NULL, m->target, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | (m->flags & MS_REC), NULL) != 0) fail(err_fd, KP_STEP_MOUNT);
        }
    }
    if (s->root) {
        if (chroot(s->root) != 0) fail(err_fd, KP_STEP_CHROOT);
        if (chdir("/") != 0) fail(err_fd, KP_STEP_CHROOT);
    }
    if (s->mount_proc) {
        mkdir("/proc", 0555);
        if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) != 0) fail(err_fd, KP_STEP_MOUNT);
    }
    if (s->cwd && s->cwd[0] && chdir(s->cwd) != 0) fail(err_fd, KP_STEP_CHDIR);
    if (s->set_ids) {
        // Raw system calls: glibc's wrappers would ask every thread of the agent (whose memory
        // this process shares until exec) to change its ids too, and wait for them.
        if (syscall(SYS_setgroups, 0, NULL) != 0 || syscall(SYS_setgid, s->gid) != 0 || syscall(SYS_setuid, s->uid) != 0) fail(err_fd, KP_STEP_IDS);
    }
    if (dup2(s->stdin_fd, 0) < 0 || dup2(s->stdout_fd, 1) < 0 || dup2(s->stderr_fd, 2) < 0) fail(err_fd, KP_STEP_EXEC);
    // Every other descriptor of the agent (other containers' log pipes, sockets) closes on exec.
    syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC);
    sigprocmask(SIG_SETMASK, mask, NULL);
    execve(s->path, s->argv, s->envp);
    fail(err_fd, KP_STEP_EXEC);
}

struct kp_clone_arg {
    const kp_spawn_spec *spec;
    int err_fd;
    int parent_pidfd;
};

/// The container's process, from clone(2) until it execs. It shares the agent's memory and runs
/// while the spawning thread waits (CLONE_VM | CLONE_VFORK, as posix_spawn does), so it only
/// makes system calls: no allocation, no locks.
static int container_main(void *raw) {
    const struct kp_clone_arg *arg = raw;
    const kp_spawn_spec *s = arg->spec;
    int err_fd = arg->err_fd;
    // No handler of the agent may run on this stack: default dispositions, then the (all
    // blocked) mask the spawning thread set is cleared just before exec.
    for (int sig = 1; sig < NSIG; sig++) signal(sig, SIG_DFL);
    // Its own process group, so the agent's terminal signals never reach it.
    setpgid(0, 0);
    // It dies with the thread that started it (a thread that lives as long as the agent), and
    // as PID 1 of its namespace it takes every process of the container with it.
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) fail(err_fd, KP_STEP_PDEATHSIG);
    // The agent died before the line above: nothing would kill this process later.
    if (arg->parent_pidfd >= 0) {
        struct pollfd gone = {.fd = arg->parent_pidfd, .events = POLLIN};
        if (poll(&gone, 1, 0) != 0) _exit(127);
    }
    for (int i = 0; i < s->cgroup_count; i++) {
        if (write(s->cgroup_fds[i], "0", 1) != 1) fail(err_fd, KP_STEP_CGROUP);
    }
    if (s->netns_fd >= 0 && setns(s->netns_fd, CLONE_NEWNET) != 0) fail(err_fd, KP_STEP_NETNS);
    sigset_t none;
    sigemptyset(&none);
    exec_container(s, err_fd, &none);
    return 127;
}

// A descriptor of the agent itself, kept for its lifetime: a child polls it to learn whether
// the agent died before the child asked to die with it.
static int self_pidfd = -1;
static pthread_once_t self_pidfd_once = PTHREAD_ONCE_INIT;
static void open_self_pidfd(void) { self_pidfd = (int)syscall(SYS_pidfd_open, getpid(), 0); }

pid_t kp_spawn(const kp_spawn_spec *s, int err_fd) {
    pthread_once(&self_pidfd_once, open_self_pidfd);
    size_t stack_size = 256 * 1024;
    void *stack = mmap(NULL, stack_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (stack == MAP_FAILED) return -1;
    struct kp_clone_arg arg = {.spec = s, .err_fd = err_fd, .parent_pidfd = self_pidfd};
    int flags = CLONE_VM | CLONE_VFORK | SIGCHLD;
    if (s->new_namespaces) flags |= CLONE_NEWPID | CLONE_NEWNS | (s->hostname ? CLONE_NEWUTS : 0);
    // Every signal blocked across the clone: the child inherits the mask and clears it at exec.
    sigset_t all, saved;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &saved);
    pid_t pid = clone(container_main, (char *)stack + stack_size, flags, &arg);
    int saved_errno = errno;
    pthread_sigmask(SIG_SETMASK, &saved, NULL);
    munmap(stack, stack_size);
    errno = saved_errno;
    return pid;
}

int kp_pidfd_open(pid_t pid) {
    return (int)syscall(SYS_pidfd_open, pid, 0);
}

int kp_pipe_cloexec(int fds[2]) {
    return pipe2(fds, O_CLOEXEC);
}
