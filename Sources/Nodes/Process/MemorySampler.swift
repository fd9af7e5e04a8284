import Foundation

/// Where the kernel cannot enforce a memory limit (no writable cgroup), the node samples the
/// container's resident memory every 250 ms and kills it once it passes its limit, reported as
/// OOMKilled as the kernel's would be.
enum MemorySampler {
    static let interval: Duration = .milliseconds(250)

    /// Returns true if it killed the container for passing `limit` bytes; returns false when
    /// cancelled (the container exited).
    static func watch(pid: pid_t, limit: Int64) async -> Bool {
        while !Task.isCancelled {
            if treeRSS(of: pid) > limit {
                kill(-pid, SIGKILL)   // its process group: no PID namespace takes the children here
                kill(pid, SIGKILL)
                return true
            }
            try? await Task.sleep(for: interval)
        }
        return false
    }

    /// The resident memory of a process and its descendants, in bytes.
    static func treeRSS(of pid: pid_t) -> Int64 {
        ProcessTree.members(of: pid).reduce(0) { total, p in
            guard let status = try? String(contentsOfFile: "/proc/\(p)/status", encoding: .utf8),
                  let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
                  let kib = Int64(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") else { return total }
            return total + kib * 1024
        }
    }
}
