import Foundation
import Logging

/// One container's cgroups (v1: a directory under the memory and cpu hierarchies): the memory
/// limit the kernel enforces (its OOM killer acts the moment usage passes it), CPU shares and
/// quota, what it uses, and a way to kill whatever is left in it.
/// `kplane/<node>/<pod uid>/<container>` under each hierarchy (`<node>`: the kubelet's
/// `cgroupNode`, its name and claimed range).
struct Cgroup: Sendable {
    static let root = "/sys/fs/cgroup"
    static let controllers = ["memory", "cpu", "cpuacct", "pids"]

    let relative: String

    init(node: String, podUID: String, container: String) {
        relative = "kplane/\(node)/\(podUID)/\(container)"
    }

    /// Whether this machine lets kplane make v1 memory cgroups (root, v1 memory mounted).
    /// Only a v1 memory hierarchy has `memory.limit_in_bytes` at its root: on a cgroup v2 machine
    /// `mkdir /sys/fs/cgroup/memory` would make a v2 group without these files, so there (as
    /// without root) the RSS sampler enforces memory limits instead.
    static let available: Bool = {
        guard controllers.allSatisfy({ FileManager.default.fileExists(atPath: "\(root)/\($0)/cgroup.procs") }),
              FileManager.default.fileExists(atPath: "\(root)/memory/memory.limit_in_bytes") else { return false }
        let probe = "\(root)/memory/kplane"
        return (try? FileManager.default.createDirectory(atPath: probe, withIntermediateDirectories: true)) != nil
            && FileManager.default.isWritableFile(atPath: probe)
    }()

    func path(_ controller: String) -> String { "\(Self.root)/\(controller)/\(relative)" }

    /// The cgroup.procs files a process writes itself into.
    var procsFiles: [String] { Self.controllers.map { path($0) + "/cgroup.procs" } }

    /// Creates the cgroups and sets the limits; the memory limit covers swap too, so a leak is
    /// killed rather than swapped out.
    func create(memoryLimit: Int64?, cpuRequestMilli: Int64?, cpuLimitMilli: Int64?) throws {
        for c in Self.controllers {
            try FileManager.default.createDirectory(atPath: path(c), withIntermediateDirectories: true)
        }
        if let limit = memoryLimit {
            try write("memory", "memory.limit_in_bytes", String(limit))
            try? write("memory", "memory.memsw.limit_in_bytes", String(limit))
        }
        // The kubelet's shares: 1024 per CPU requested, between 2 and the kernel's 262144 (so a
        // huge request neither overflows nor is refused).
        let request = min(max(0, cpuRequestMilli ?? 0), 1_000_000)
        try write("cpu", "cpu.shares", String(min(262_144, max(2, request * 1024 / 1000))))
        if let limit = cpuLimitMilli {
            // The quota in µs per 100 ms period, kept under the kernel's cap (about 1.7e10 µs).
            try write("cpu", "cpu.cfs_period_us", "100000")
            try write("cpu", "cpu.cfs_quota_us", String(max(1000, min(limit, 100_000_000) * 100)))
        }
    }

    private func write(_ controller: String, _ file: String, _ value: String) throws {
        try value.write(toFile: path(controller) + "/" + file, atomically: false, encoding: .utf8)
    }

    private func read(_ controller: String, _ file: String) -> String? {
        try? String(contentsOfFile: path(controller) + "/" + file, encoding: .utf8)
    }

    /// How many times the kernel's OOM killer has killed a process of this cgroup.
    var oomKills: Int {
        let text = read("memory", "memory.oom_control") ?? ""
        for line in text.split(separator: "\n") where line.hasPrefix("oom_kill ") {
            return Int(line.dropFirst(9).trimmingCharacters(in: .whitespaces)) ?? 0
        }
        return 0
    }

    var memoryUsage: Int64? { read("memory", "memory.usage_in_bytes").flatMap { Int64($0.trimmingCharacters(in: .whitespacesAndNewlines)) } }
    /// CPU time used, in nanoseconds.
    var cpuUsage: Int64? { read("cpuacct", "cpuacct.usage").flatMap { Int64($0.trimmingCharacters(in: .whitespacesAndNewlines)) } }

    var pids: [pid_t] {
        (read("memory", "cgroup.procs") ?? "").split(separator: "\n").compactMap { pid_t($0) }
    }

    /// SIGKILLs every process left in the cgroup, then removes it.
    func destroy(logger: Logger) {
        for _ in 0..<50 {
            let left = pids
            if left.isEmpty { break }
            for pid in left { kill(pid, SIGKILL) }
            usleep(10_000)
        }
        for c in Self.controllers.reversed() { rmdir(path(c)) }
    }

    /// Removes every cgroup of `node` whose pod is not in `keeping`, killing what runs in it
    /// (after a kill -9 of the agent, whatever outlived it).
    static func cleanUp(node: String, keeping uids: Set<String>, logger: Logger) {
        let nodeDir = "\(root)/memory/kplane/\(node)"
        for uid in (try? FileManager.default.contentsOfDirectory(atPath: nodeDir)) ?? [] where !uids.contains(uid) {
            for container in (try? FileManager.default.contentsOfDirectory(atPath: "\(nodeDir)/\(uid)")) ?? [] {
                var isDir: ObjCBool = false
                guard FileManager.default.fileExists(atPath: "\(nodeDir)/\(uid)/\(container)", isDirectory: &isDir), isDir.boolValue else { continue }
                let cg = Cgroup(node: node, podUID: uid, container: container)
                if !cg.pids.isEmpty { logger.info("Killing processes left from before", metadata: ["pod": "\(uid)", "container": "\(container)"]) }
                cg.destroy(logger: logger)
            }
            removePod(node: node, uid: uid)
        }
    }

    /// The cgroup nodes (`<name>@<number>`) of any name whose number is one of `numbers`: a
    /// node's claimed block, so every one but its own was left by a node that is gone.
    static func nodes(numbered numbers: Range<Int>) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "\(root)/memory/kplane")) ?? []).filter { name in
            guard let at = name.lastIndex(of: "@"), let n = Int(name[name.index(after: at)...]) else { return false }
            return numbers.contains(n)
        }
    }

    /// Removes the node's directories once its pods' are gone (the node stopped).
    static func removeNode(_ node: String) {
        for c in controllers { rmdir("\(root)/\(c)/kplane/\(node)") }
    }

    /// Removes a pod's (empty) cgroup directories once its containers' are gone.
    static func removePod(node: String, uid: String) {
        for c in controllers { rmdir("\(root)/\(c)/kplane/\(node)/\(uid)") }
    }
}
