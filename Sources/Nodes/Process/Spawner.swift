import CContainerShim
import Foundation
import Synchronization

/// A mount a container's process makes in its own mount namespace (see `kp_mount`).
struct ContainerMount: Sendable {
    var source: String?
    var target: String
    var fstype: String?
    var flags: UInt
    var data: String?
    /// 0: the target exists; 1: create it as a directory; 2: as an empty file.
    var create: Int32 = 0

    static func bind(_ source: String, _ target: String, readOnly: Bool = false, file: Bool = false) -> ContainerMount {
        ContainerMount(source: source, target: target, fstype: nil, flags: UInt(MS_BIND | MS_REC) | (readOnly ? UInt(MS_RDONLY) : 0),
                       data: nil, create: file ? 2 : 1)
    }
}

/// Everything `kp_spawn` needs to start one container process.
struct SpawnSpec: Sendable {
    var path: String
    var argv: [String]
    var env: [String]
    var cwd: String
    /// -1: /dev/null.
    var stdin: Int32 = -1
    var stdout: Int32
    var stderr: Int32
    var cgroupProcs: [String] = []
    var netnsPath: String?
    var newNamespaces = true
    var mounts: [ContainerMount] = []
    var root: String?
    var mountProc = false
    var hostname: String?
    var ids: (uid: UInt32, gid: UInt32)?
    /// stdin is a terminal that becomes the process's controlling terminal.
    var controllingTerminal = false
}

/// Why a container process could not start: the errno of the step that failed.
struct SpawnFailure: Error, CustomStringConvertible {
    let errno: Int32
    let step: Int32

    var description: String {
        let what = switch step {
        case Int32(KP_STEP_CGROUP): "join cgroup"
        case Int32(KP_STEP_NETNS): "join network namespace"
        case Int32(KP_STEP_UNSHARE): "create namespaces"
        case Int32(KP_STEP_FORK): "fork"
        case Int32(KP_STEP_MOUNT): "mount"
        case Int32(KP_STEP_CHROOT): "change root"
        case Int32(KP_STEP_CHDIR): "chdir to cwd"
        case Int32(KP_STEP_IDS): "set user"
        case Int32(KP_STEP_EXEC): "exec"
        default: "start"
        }
        return "\(what): \(String(cString: strerror(errno)))"
    }
}

/// Starts container processes from a few threads that live as long as the process: a child's
/// PR_SET_PDEATHSIG fires when the *thread* that started it exits, and the concurrency pool's
/// threads may come and go. Several, because a thread waits while its child makes the
/// container's mounts (until it execs); the queue holds at most one job per kubelet worker
/// waiting in `spawn`.
final class Spawner: Sendable {
    static let shared = Spawner()
    static let threads = 4

    private struct Job: Sendable {
        let spec: SpawnSpec
        let done: @Sendable (Result<pid_t, SpawnFailure>) -> Void
    }
    private let jobs = Mutex<[Job]>([])
    private let ready = DispatchSemaphore(value: 0)

    private init() {
        for n in 1...Self.threads {
            let thread = Thread { [self] in
                while true {
                    ready.wait()
                    guard let job = jobs.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) else { continue }
                    job.done(Self.spawnNow(job.spec))
                }
            }
            thread.name = "kplane-spawner-\(n)"
            thread.start()
        }
    }

    /// Starts the process; returns its pid once it has exec'd, or why not.
    func spawn(_ spec: SpawnSpec) async throws(SpawnFailure) -> pid_t {
        let result = await withCheckedContinuation { (c: CheckedContinuation<Result<pid_t, SpawnFailure>, Never>) in
            jobs.withLock { $0.append(Job(spec: spec, done: { c.resume(returning: $0) })) }
            ready.signal()
        }
        return try result.get()
    }

    /// Prepares every C string and descriptor, clones, and reads what the error pipe holds once
    /// the process has exec'd (nothing) or failed (the step).
    private static func spawnNow(_ s: SpawnSpec) -> Result<pid_t, SpawnFailure> {
        var pipeFDs: [Int32] = [0, 0]
        guard kp_pipe_cloexec(&pipeFDs) == 0 else { return .failure(SpawnFailure(errno: errno, step: Int32(KP_STEP_FORK))) }
        defer { close(pipeFDs[0]) }
        let devNull = open("/dev/null", O_RDONLY | O_CLOEXEC)
        defer { if devNull >= 0 { close(devNull) } }
        var cgroupFDs: [Int32] = []
        defer { cgroupFDs.forEach { close($0) } }
        for path in s.cgroupProcs {
            let fd = open(path, O_WRONLY | O_CLOEXEC)
            guard fd >= 0 else { close(pipeFDs[1]); return .failure(SpawnFailure(errno: errno, step: Int32(KP_STEP_CGROUP))) }
            cgroupFDs.append(fd)
        }
        var netns: Int32 = -1
        if let path = s.netnsPath {
            netns = open(path, O_RDONLY | O_CLOEXEC)
            guard netns >= 0 else { close(pipeFDs[1]); return .failure(SpawnFailure(errno: errno, step: Int32(KP_STEP_NETNS))) }
        }
        defer { if netns >= 0 { close(netns) } }

        var keep: [UnsafeMutablePointer<CChar>] = []
        func c(_ s: String) -> UnsafeMutablePointer<CChar> {
            let p = strdup(s)!
            keep.append(p)
            return p
        }
        func c(_ s: String?) -> UnsafePointer<CChar>? { s.map { UnsafePointer(c($0)) } }
        defer { keep.forEach { free($0) } }
        var argv: [UnsafeMutablePointer<CChar>?] = s.argv.map { c($0) } + [nil]
        var envp: [UnsafeMutablePointer<CChar>?] = s.env.map { c($0) } + [nil]
        let mounts: [kp_mount] = s.mounts.map {
            kp_mount(source: c($0.source), target: c($0.target), fstype: c($0.fstype), flags: $0.flags, data: c($0.data), create: $0.create)
        }
        let path = c(s.path), cwd = c(s.cwd), root = c(s.root), hostname = c(s.hostname)
        let pid: pid_t = argv.withUnsafeMutableBufferPointer { argvBuf in
            envp.withUnsafeMutableBufferPointer { envBuf in
                cgroupFDs.withUnsafeBufferPointer { cg in
                    mounts.withUnsafeBufferPointer { m in
                        var spec = kp_spawn_spec()
                        spec.path = UnsafePointer(path)
                        spec.argv = UnsafePointer(argvBuf.baseAddress)
                        spec.envp = UnsafePointer(envBuf.baseAddress)
                        spec.cwd = UnsafePointer(cwd)
                        spec.stdin_fd = s.stdin >= 0 ? s.stdin : devNull
                        spec.controlling_tty = s.controllingTerminal ? 1 : 0
                        spec.stdout_fd = s.stdout
                        spec.stderr_fd = s.stderr
                        spec.cgroup_fds = cg.baseAddress
                        spec.cgroup_count = Int32(cg.count)
                        spec.netns_fd = netns
                        spec.new_namespaces = s.newNamespaces ? 1 : 0
                        spec.mounts = m.baseAddress
                        spec.mount_count = Int32(m.count)
                        spec.root = root
                        spec.mount_proc = s.mountProc ? 1 : 0
                        spec.hostname = hostname
                        if let ids = s.ids {
                            spec.set_ids = 1
                            spec.uid = ids.uid
                            spec.gid = ids.gid
                        }
                        return kp_spawn(&spec, pipeFDs[1])
                    }
                }
            }
        }
        close(pipeFDs[1])
        guard pid > 0 else { return .failure(SpawnFailure(errno: errno, step: Int32(KP_STEP_FORK))) }
        // The child has exec'd or exited (CLONE_VFORK): a failure is in the pipe already. One read,
        // not until EOF: a child of another spawner thread may hold the write end until it execs.
        var report: (Int32, Int32) = (0, 0)
        let n = withUnsafeMutableBytes(of: &report) { buf in
            var r: Int
            repeat { r = read(pipeFDs[0], buf.baseAddress, buf.count) } while r < 0 && errno == EINTR
            return r
        }
        if n == MemoryLayout<(Int32, Int32)>.size {
            // The process exits 127 right after reporting: collect it here, no one else will.
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            return .failure(SpawnFailure(errno: report.0, step: report.1))
        }
        return .success(pid)
    }
}
