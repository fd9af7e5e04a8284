#ifndef KPLANE_CONTAINER_SHIM_H
#define KPLANE_CONTAINER_SHIM_H

#include <sys/types.h>
#include <sys/epoll.h>

/// One mount the container's process makes in its own mount namespace, in order, before it
/// changes root. `flags` are mount(2)'s; a NULL `fstype` with MS_BIND binds `source`.
typedef struct {
    const char *source;
    const char *target;
    const char *fstype;
    unsigned long flags;
    const char *data;
    /// Create `target` (a directory, or an empty file when 2) before mounting.
    int create;
} kp_mount;

/// How to start a container's process. Everything is prepared by the caller before the clone:
/// after it, the child only makes system calls (it shares the agent's memory until it execs).
typedef struct {
    const char *path;           // the executable, already resolved
    char *const *argv;
    char *const *envp;
    const char *cwd;            // inside the new root when `root` is set
    int stdin_fd, stdout_fd, stderr_fd;
    const int *cgroup_fds;      // cgroup.procs files to join (opened for writing), or NULL
    int cgroup_count;
    int netns_fd;               // a network namespace to join, or -1
    int new_namespaces;         // 1: own PID and mount namespaces (the process is PID 1 in its own)
    const kp_mount *mounts;     // made in the new mount namespace
    int mount_count;
    const char *root;           // chroot here after the mounts, or NULL
    int mount_proc;             // mount a proc for the new PID namespace at /proc (after chroot)
    const char *hostname;       // with new_namespaces: an own UTS namespace with this hostname
    int set_ids;                // 1: drop to uid/gid with these supplementary groups
    uid_t uid;
    gid_t gid;
    int controlling_tty;        // 1: stdin is a terminal; it becomes the controlling terminal of a new session
} kp_spawn_spec;

/// Starts a container's process: cloned straight from the calling thread (sharing its memory
/// until exec, as posix_spawn does, so no copy of the agent is made), it joins the cgroups and
/// network namespace, dies when the calling thread does (PR_SET_PDEATHSIG; that thread must
/// outlive it), and, when asked, is PID 1 of a new PID namespace with its own mount (and UTS)
/// namespace, so that when it dies the kernel kills every process of the container. Returns its
/// pid, or -1 with errno set. Signals sent to it from the agent reach it as they reach a
/// container's PID 1 from containerd: SIGKILL always, others only if it handles them.
///
/// `err_fd` receives, if the container's process could not be started, one int: the errno of
/// the step that failed, then one int: which step (see KP_STEP_*). kp_spawn returns once the
/// process has exec'd or exited (CLONE_VFORK), so the report, if any, is there by then: read it
/// without waiting (another spawn's child may hold the pipe's write end until it execs).
pid_t kp_spawn(const kp_spawn_spec *spec, int err_fd);

enum {
    KP_STEP_CGROUP = 1, KP_STEP_NETNS, KP_STEP_UNSHARE, KP_STEP_FORK, KP_STEP_MOUNT, KP_STEP_CHROOT,
    KP_STEP_CHDIR, KP_STEP_IDS, KP_STEP_EXEC, KP_STEP_PDEATHSIG
};

/// Inside the network namespace at `netns_path` (a /run/netns file): brings `lo` up, gives
/// `ifname` `address`/`prefix`, brings it up, and adds a default route via `gateway`, as
/// `ip -n NS` would, without starting a process. Returns 0, or the step that failed (KP_IFACE_*)
/// with errno set.
int kp_configure_pod_interface(const char *netns_path, const char *ifname, const char *address, int prefix, const char *gateway);

enum { KP_IFACE_NETNS = 1, KP_IFACE_LOOPBACK, KP_IFACE_ADDRESS, KP_IFACE_UP, KP_IFACE_ROUTE };

/// pipe2(2) with O_CLOEXEC and O_NONBLOCK: kp_spawn's error pipe, read once it returns.
int kp_pipe_cloexec(int fds[2]);

/// prctl(PR_GET_DUMPABLE): whether this process may be dumped and its /proc files are its
/// owner's (a spawn that changes ids must leave the agent so).
int kp_dumpable(void);

/// pidfd_open(2): a file descriptor that becomes readable when the process exits.
int kp_pidfd_open(pid_t pid);

/// A pseudo-terminal for `exec -t`: the master (close-on-exec, for the kubelet) and the
/// slave (for the command's stdin, stdout and stderr). Returns 0, or -1 with errno set.
int kp_open_pty(int *master, int *slave);

/// Sets a terminal's size (TIOCSWINSZ), as the kubelet does on a resize message.
int kp_set_winsize(int fd, unsigned short rows, unsigned short cols);

/// Connects a TCP socket to `ipv4`:`port` from inside the network namespace at `netns_path`
/// (NULL: this one), as the kubelet's port-forward dials localhost in the pod's namespace: the
/// calling thread enters it, makes and connects the socket (which stays in that namespace),
/// and returns. Returns the socket (blocking, close-on-exec), or -errno.
int kp_connect_in_netns(const char *netns_path, const char *ipv4, int port);

#endif
