import Foundation
import KubeModel
import Synchronization

/// How a container instance ended, as `lastState.terminated` reports it.
struct TerminatedState: Sendable {
    var exitCode: Int32
    var signal: Int32?
    var reason: String
    var message: String?
    var startedAt: Date
    var finishedAt: Date
    var containerID: String

    var json: JSONValue {
        var t: JSONValue = ["exitCode": .int(Int64(exitCode)), "reason": .string(reason),
                            "startedAt": .string(Timestamp.format(startedAt)), "finishedAt": .string(Timestamp.format(finishedAt)),
                            "containerID": .string(containerID)]
        if let signal { t["signal"] = .int(Int64(signal)) }
        if let message { t["message"] = .string(message) }
        return t
    }
}

/// A container instance that is running (or starting).
struct RunningContainer: Sendable {
    /// The container's process: PID 1 of its own PID namespace (where the machine allows).
    let pid: pid_t
    let containerID: String
    let startedAt: Date
    let cgroup: Cgroup?
    let logPath: String
    /// Its log, which has read every line once `finished()` returns.
    let log: ContainerLog
    /// Its standard input and terminal, which attached clients write to.
    let input: ContainerInput
    /// The instance's own root layer, removed when it exits.
    var root: String? = nil

    /// Signals the container's process group (the process leads its own), as the issue asks and
    /// PM2 does, so children reach it too where there is no PID namespace; the process alone if
    /// it left its group. (Inside a PID namespace a signal other than SIGKILL reaches PID 1 only
    /// if it handles it, as under containerd.)
    func signal(_ sig: Int32) {
        if kill(-pid, sig) != 0 { kill(pid, sig) }
    }
    /// Set when the kubelet itself stops it (liveness failure, pod deletion): why.
    var stopping: String?
}

/// What the kubelet knows of one container across its restarts.
struct ContainerRecord: Sendable {
    var restartCount = 0
    var running: RunningContainer?
    var lastTerminated: TerminatedState?
    /// Why it is not running, when it is waiting.
    var waiting: (reason: String, message: String?)? = ("ContainerCreating", nil)
    var image = ""
    var imageID = ""
    /// Set once a probe or the container's first start says so.
    var started = false
    var ready = false
    var backoff = CrashBackoff()
    /// Ready as the prober manager reports it: running, past its startup probe (which gates
    /// readiness), and passing its readiness probe or having none.
    var isReady: Bool { running != nil && started && ready }
    /// The log file of each instance, by restart count (for `--previous`).
    var logPaths: [Int: String] = [:]
    /// When the instance that exited last finished; nil: never exited.
    var finishedAt: Date? { lastTerminated?.finishedAt }
    /// A terminated instance that will not restart (restartPolicy), shown as the current state.
    var final = false
}

/// What the kubelet knows of one pod.
struct PodRecord: Sendable {
    let uid: String
    let namespace: String
    let name: String
    var ip: String?
    var netnsPath: String?
    var containers: [String: ContainerRecord] = [:]
    var initContainers: [String: ContainerRecord] = [:]
    var startTime: Date?
    /// Host paths of the pod's volumes by name, once set up; the pod's /etc/hosts.
    var volumes: [String: String]?
    var hostsFile: String?
    /// The pod's /etc/resolv.conf, when it has a network namespace and the node a cluster DNS.
    var resolvConfFile: String?
    /// The pod reached Succeeded or Failed: nothing runs or restarts any more.
    var finished = false
    /// Termination has begun.
    var terminating = false
}

/// Every pod of this node, by uid. Mutated only under the lock, never across a call out.
final class PodRecords: Sendable {
    private let state = Mutex<[String: PodRecord]>([:])

    func get(_ uid: String) -> PodRecord? { state.withLock { $0[uid] } }
    var all: [PodRecord] { state.withLock { Array($0.values) } }
    var uids: Set<String> { state.withLock { Set($0.keys) } }

    /// Returns the record, making it if it is new.
    func ensure(_ pod: JSONValue) -> PodRecord {
        state.withLock { s in
            if let r = s[pod.uid] { return r }
            let r = PodRecord(uid: pod.uid, namespace: pod.metaNamespace, name: pod.metaName)
            s[pod.uid] = r
            return r
        }
    }

    @discardableResult
    func update<T>(_ uid: String, _ body: (inout PodRecord) -> T) -> T? {
        state.withLock { s in
            guard var r = s[uid] else { return nil }
            let out = body(&r)
            s[uid] = r
            return out
        }
    }

    func updateContainer(_ uid: String, _ name: String, initContainer: Bool, _ body: (inout ContainerRecord) -> Void) {
        update(uid) { r in
            if initContainer {
                var c = r.initContainers[name] ?? ContainerRecord()
                body(&c)
                r.initContainers[name] = c
            } else {
                var c = r.containers[name] ?? ContainerRecord()
                body(&c)
                r.containers[name] = c
            }
        }
    }

    func remove(_ uid: String) -> PodRecord? { state.withLock { $0.removeValue(forKey: uid) } }
}

/// The kubelet's crash-loop back-off for one container (`pkg/util/flowcontrol` Backoff with
/// 10 s initial and 300 s maximum): the first restart is at once; a container that fails again
/// waits the current delay from its finish, and the delay doubles; an entry untouched for twice
/// the maximum (10 min) starts over.
struct CrashBackoff: Sendable {
    static let initial: TimeInterval = 10
    static let maximum: TimeInterval = 300

    var delay: TimeInterval = 0
    var lastUpdate: Date?

    /// When a container that finished at `finished` may start again.
    func restartAt(finished: Date) -> Date {
        guard delay > 0, let lastUpdate else { return finished }
        if finished.timeIntervalSince(lastUpdate) > 2 * Self.maximum { return finished }
        return finished.addingTimeInterval(delay)
    }

    /// Called as the container restarts at `now`.
    mutating func next(now: Date) {
        if let lastUpdate, now.timeIntervalSince(lastUpdate) > 2 * Self.maximum {
            delay = 0
        }
        delay = delay == 0 ? Self.initial : min(delay * 2, Self.maximum)
        lastUpdate = now
    }
}
