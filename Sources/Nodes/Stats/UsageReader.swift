import Foundation

/// A running container instance the sampler measures.
struct SampledContainer: Sendable {
    var name: String
    /// The instance's ID: a restart is a new instance, with its own samples.
    var containerID: String
    var startedAt: Date
    var cgroup: Cgroup?
    /// The container's process, the root of its process tree.
    var pid: pid_t
}

/// Where the sampler gets its readings; tests substitute fixed ones.
protocol UsageReader: Sendable {
    /// A container's cumulative CPU nanoseconds and memory now; nil when it is gone.
    func container(_ c: SampledContainer) -> (cpuNanoseconds: UInt64, memory: MemoryReading)?
    /// The machine's.
    func node() -> (cpuNanoseconds: UInt64, memory: MemoryReading)?
    /// When the node's figures started counting.
    var bootTime: Date { get }
}

/// Reads this machine: a container's cgroup where it has one (root), else its process tree
/// under /proc (the container's process and its descendants), the node from /proc.
struct HostUsageReader: UsageReader {
    static let ticksPerSecond = UInt64(max(1, sysconf(Int32(_SC_CLK_TCK))))
    static let pageSize = UInt64(max(1, sysconf(Int32(_SC_PAGESIZE))))

    func container(_ c: SampledContainer) -> (cpuNanoseconds: UInt64, memory: MemoryReading)? {
        if let cgroup = c.cgroup, let cpu = Self.number(cgroup.path("cpuacct") + "/cpuacct.usage"),
           let usage = Self.number(cgroup.path("memory") + "/memory.usage_in_bytes") {
            let stat = UsageParsing.table(Self.read(cgroup.path("memory") + "/memory.stat") ?? "")
            let limit = Self.number(cgroup.path("memory") + "/memory.limit_in_bytes")
            return (cpu, UsageParsing.cgroupMemory(usage: usage, limit: limit, stat: stat))
        }
        let stats = ProcessTree.members(of: c.pid).compactMap { Self.read("/proc/\($0)/stat").flatMap(UsageParsing.processStat) }
        guard !stats.isEmpty else { return nil }
        return Self.treeUsage(stats)
    }

    /// A process tree's total: its CPU ticks in nanoseconds, its resident pages as usage,
    /// working set and RSS alike (there is no page cache to tell apart).
    static func treeUsage(_ stats: [UsageParsing.ProcessStat]) -> (cpuNanoseconds: UInt64, memory: MemoryReading) {
        let ticks = stats.reduce(0) { $0 + $1.cpuTicks }
        let rss = stats.reduce(0) { $0 + $1.rssPages } * pageSize
        let major = stats.reduce(0) { $0 + $1.majorFaults }
        let faults = stats.reduce(0) { $0 + $1.minorFaults } + major
        return (ticks * (1_000_000_000 / ticksPerSecond),
                MemoryReading(usageBytes: rss, workingSetBytes: rss, rssBytes: rss, pageFaults: faults, majorPageFaults: major, limitBytes: nil))
    }

    func node() -> (cpuNanoseconds: UInt64, memory: MemoryReading)? {
        guard let ticks = Self.read("/proc/stat").flatMap(UsageParsing.machineCPUTicks),
              let memory = UsageParsing.machineMemory(meminfo: Self.read("/proc/meminfo") ?? "", vmstat: Self.read("/proc/vmstat") ?? "")
        else { return nil }
        return (ticks * (1_000_000_000 / Self.ticksPerSecond), memory)
    }

    var bootTime: Date { Self.read("/proc/stat").flatMap(UsageParsing.bootTime) ?? Date(timeIntervalSince1970: 0) }

    static func read(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }

    static func number(_ path: String) -> UInt64? { read(path).flatMap { UInt64($0.trimmingCharacters(in: .whitespacesAndNewlines)) } }
}

/// A process and its descendants, from /proc's `children` lists (bounded, as a fork bomb
/// must not make the walk endless).
enum ProcessTree {
    static let maximum = 10_000

    static func members(of root: pid_t, limit: Int = maximum) -> [pid_t] {
        var out: [pid_t] = []
        var stack = [root]
        while let p = stack.popLast(), out.count < limit {
            out.append(p)
            for task in (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(p)/task")) ?? [] {
                let children = (try? String(contentsOfFile: "/proc/\(p)/task/\(task)/children", encoding: .utf8)) ?? ""
                stack += children.split(separator: " ").compactMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            }
        }
        return out
    }
}
