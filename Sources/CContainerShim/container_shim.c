#define _GNU_SOURCE
#include "container_shim.h"
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <pthread.h>
#include <sys/ioctl.h>
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

struct kp_clone_arg {
    const kp_spawn_spec *spec;
    int err_fd;
    pid_t agent;   // the agent's pid, as the host sees it
    int stat_fd;   // the child's own /proc/<pid>/stat on the host's /proc, opened at its start
};

/// The parent's pid in a /proc/<pid>/stat line ("pid (comm) state ppid ..."), read from the
/// host's /proc: getppid() says 0 inside a new PID namespace.
static pid_t parent_of_self(int stat_fd) {
    char buf[512];
    ssize_t n = pread(stat_fd, buf, sizeof buf - 1, 0);
    if (n <= 0) return -1;
    buf[n] = '\0';
    char *p = strrchr(buf, ')');
    if (!p || p[1] != ' ' || !p[2] || p[3] != ' ') return -1;
    pid_t ppid = 0;
    for (p += 4; *p >= '0' && *p <= '9'; p++) ppid = ppid * 10 + (*p - '0');
    return ppid;
}

/// Dies with the thread that started it (a thread that lives as long as the agent); if the
/// agent is already gone (this process was given to another parent before it asked), exits.
static void die_with_agent(const struct kp_clone_arg *arg) {
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) fail(arg->err_fd, KP_STEP_PDEATHSIG);
    pid_t parent = arg->stat_fd >= 0 ? parent_of_self(arg->stat_fd) : -1;
    if (parent > 0 && parent != arg->agent) _exit(127);
}

/// The container's process: mounts, root, directory, identity, descriptors, exec.
static void exec_container(const struct kp_clone_arg *arg, const sigset_t *mask) {
    const kp_spawn_spec *s = arg->spec;
    int err_fd = arg->err_fd;
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
    // The cgroups last, so the mounts above are not throttled by a small CPU limit.
    for (int i = 0; i < s->cgroup_count; i++) {
        if (syscall(SYS_write, s->cgroup_fds[i], "0", 1) != 1) fail(err_fd, KP_STEP_CGROUP);
    }
    if (s->set_ids) {
        // Raw system calls: glibc's wrappers would ask every thread of the agent (whose memory
        // this process shares until exec) to change its ids too, and wait for them.
        if (syscall(SYS_setgroups, 0, NULL) != 0 || syscall(SYS_setgid, s->gid) != 0 || syscall(SYS_setuid, s->uid) != 0) fail(err_fd, KP_STEP_IDS);
        // Changing ids clears the parent-death signal: ask again, and check again.
        die_with_agent(arg);
    }
    if (dup2(s->stdin_fd, 0) < 0 || dup2(s->stdout_fd, 1) < 0 || dup2(s->stderr_fd, 2) < 0) fail(err_fd, KP_STEP_EXEC);
    // The terminal becomes the session's controlling terminal, as runc's console does: ^C
    // typed by an attached client signals the container's foreground processes.
    if (s->controlling_tty && ioctl(0, TIOCSCTTY, 0) != 0) fail(err_fd, KP_STEP_EXEC);
    // Every other descriptor of the agent (other containers' log pipes, sockets) closes on exec.
    syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC);
    sigprocmask(SIG_SETMASK, mask, NULL);
    execve(s->path, s->argv, s->envp);
    fail(err_fd, KP_STEP_EXEC);
}

/// The container's process, from clone(2) until it execs. It shares the agent's memory and runs
/// while the spawning thread waits (CLONE_VM | CLONE_VFORK, as posix_spawn does), so it only
/// makes system calls: no allocation, no locks.
static int container_main(void *raw) {
    struct kp_clone_arg *arg = raw;
    const kp_spawn_spec *s = arg->spec;
    int err_fd = arg->err_fd;
    // As PID 1 of its namespace it takes every process of the container with it when it dies.
    arg->stat_fd = (int)syscall(SYS_openat, AT_FDCWD, "/proc/self/stat", O_RDONLY | O_CLOEXEC);
    die_with_agent(arg);
    // No handler of the agent may run on this stack: default dispositions, then the (all
    // blocked) mask the spawning thread set is cleared just before exec.
    for (int sig = 1; sig < NSIG; sig++) signal(sig, SIG_DFL);
    // Its own process group, so the agent's terminal signals never reach it, and the kubelet
    // signals the group; with a terminal, a session of its own (which leads a group too).
    if (s->controlling_tty) setsid(); else setpgid(0, 0);
    if (s->netns_fd >= 0 && setns(s->netns_fd, CLONE_NEWNET) != 0) fail(err_fd, KP_STEP_NETNS);
    sigset_t none;
    sigemptyset(&none);
    exec_container(arg, &none);
    return 127;
}

pid_t kp_spawn(const kp_spawn_spec *s, int err_fd) {
    // Its own stack, with a guard page below it.
    size_t page = (size_t)sysconf(_SC_PAGESIZE), stack_size = 256 * 1024;
    char *stack = mmap(NULL, stack_size + page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (stack == MAP_FAILED) return -1;
    mprotect(stack, page, PROT_NONE);
    struct kp_clone_arg arg = {.spec = s, .err_fd = err_fd, .agent = getpid(), .stat_fd = -1};
    int flags = CLONE_VM | CLONE_VFORK | SIGCHLD;
    if (s->new_namespaces) flags |= CLONE_NEWPID | CLONE_NEWNS | (s->hostname ? CLONE_NEWUTS : 0);
    // Every signal blocked across the clone: the child inherits the mask and clears it at exec.
    sigset_t all, saved;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &saved);
    pid_t pid = clone(container_main, stack + page + stack_size, flags, &arg);
    int saved_errno = errno;
    pthread_sigmask(SIG_SETMASK, &saved, NULL);
    // Changing ids made the memory it shared (the agent's) not dumpable: /proc/<agent> would
    // turn root's and core dumps stop. It has exec'd or exited by now.
    if (s->set_ids) prctl(PR_SET_DUMPABLE, 1);
    munmap(stack, stack_size + page);
    errno = saved_errno;
    return pid;
}

int kp_dumpable(void) {
    return prctl(PR_GET_DUMPABLE);
}

int kp_pidfd_open(pid_t pid) {
    return (int)syscall(SYS_pidfd_open, pid, 0);
}

int kp_pipe_cloexec(int fds[2]) {
    return pipe2(fds, O_CLOEXEC | O_NONBLOCK);
}
