#define _GNU_SOURCE
#include "container_shim.h"
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/close_range.h>

static volatile pid_t child_pid = 0;

static void forward(int sig) {
    if (child_pid > 0) kill(child_pid, sig);
}

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
static void exec_container(const kp_spawn_spec *s, int err_fd) {
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
        if (setgroups(0, NULL) != 0 || setgid(s->gid) != 0 || setuid(s->uid) != 0) fail(err_fd, KP_STEP_IDS);
    }
    if (dup2(s->stdin_fd, 0) < 0 || dup2(s->stdout_fd, 1) < 0 || dup2(s->stderr_fd, 2) < 0) fail(err_fd, KP_STEP_EXEC);
    // Every other descriptor of the agent (other containers' log pipes, sockets) closes on exec.
    syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC);
    execve(s->path, s->argv, s->envp);
    fail(err_fd, KP_STEP_EXEC);
}

pid_t kp_spawn(const kp_spawn_spec *s, int err_fd) {
    pid_t parent = getpid();
    pid_t supervisor = fork();
    if (supervisor != 0) return supervisor;

    // The supervisor. Its own process group, so the agent's terminal signals never reach it.
    setpgid(0, 0);
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) fail(err_fd, KP_STEP_PDEATHSIG);
    if (getppid() != parent) _exit(127);  // the parent died before the line above
    for (int i = 0; i < s->cgroup_count; i++) {
        if (write(s->cgroup_fds[i], "0", 1) != 1) fail(err_fd, KP_STEP_CGROUP);
    }
    if (s->netns_fd >= 0 && setns(s->netns_fd, CLONE_NEWNET) != 0) fail(err_fd, KP_STEP_NETNS);
    int flags = CLONE_NEWPID | CLONE_NEWNS | (s->hostname ? CLONE_NEWUTS : 0);
    if (s->new_namespaces && unshare(flags) != 0) fail(err_fd, KP_STEP_UNSHARE);

    // The forking thread may block signals (the agent's threads do); a container starts with
    // none blocked, and the supervisor must receive what it forwards.
    sigset_t all, none;
    sigfillset(&all);
    sigemptyset(&none);
    sigprocmask(SIG_BLOCK, &all, NULL);
    pid_t pid = fork();
    if (pid < 0) fail(err_fd, KP_STEP_FORK);
    if (pid == 0) {
        // The container's process: default dispositions, nothing blocked, and it dies with its
        // supervisor (as PID 1 of its namespace, that takes every process of the container).
        for (int sig = 1; sig < NSIG; sig++) signal(sig, SIG_DFL);
        sigprocmask(SIG_SETMASK, &none, NULL);
        if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) fail(err_fd, KP_STEP_PDEATHSIG);
        exec_container(s, err_fd);
    }
    child_pid = pid;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = forward;
    int forwarded[] = {SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2};
    for (unsigned i = 0; i < sizeof forwarded / sizeof forwarded[0]; i++) sigaction(forwarded[i], &sa, NULL);
    sigprocmask(SIG_SETMASK, &none, NULL);
    // The supervisor needs no descriptor: keeping the log pipes or the agent's sockets open
    // would hold them past the container's end.
    for (int fd = 0; fd < 3; fd++) {
        int null_fd = open("/dev/null", O_RDWR);
        if (null_fd >= 0 && null_fd != fd) { dup2(null_fd, fd); close(null_fd); }
    }
    syscall(SYS_close_range, 3U, ~0U, 0U);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) _exit(127);
    }
    if (WIFEXITED(status)) _exit(WEXITSTATUS(status));
    // Die of the same signal, so the agent sees how the process ended.
    int sig = WTERMSIG(status);
    signal(sig, SIG_DFL);
    sigset_t only;
    sigemptyset(&only);
    sigaddset(&only, sig);
    sigprocmask(SIG_UNBLOCK, &only, NULL);
    kill(getpid(), sig);
    _exit(128 + sig);
}

int kp_pidfd_open(pid_t pid) {
    return (int)syscall(SYS_pidfd_open, pid, 0);
}

int kp_pipe_cloexec(int fds[2]) {
    return pipe2(fds, O_CLOEXEC);
}
