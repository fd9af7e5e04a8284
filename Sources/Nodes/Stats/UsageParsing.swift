import Foundation

/// Reads the kernel's accounting files into samples: a container's v1 cgroup (`memory.stat`),
/// a process's `/proc/PID/stat`, and the machine's `/proc/stat`, `/proc/meminfo` and
/// `/proc/vmstat`. Pure functions of the files' text, so tests feed them fixed readings.
enum UsageParsing {
    /// cAdvisor's bound past which a memory limit means "none" (a v1 cgroup without a limit
    /// reads 9223372036854771712).
    static let unlimited: UInt64 = 1 << 62

    /// `key value` lines (memory.stat, /proc/vmstat) as a table.
    static func table(_ text: String) -> [String: UInt64] {
        var out: [String: UInt64] = [:]
        for line in text.split(separator: "\n") {
            let f = line.split(separator: " ", omittingEmptySubsequences: true)
            if f.count == 2, let v = UInt64(f[1]) { out[String(f[0])] = v }
        }
        return out
    }

    /// A v1 memory cgroup's figures as cAdvisor computes them: the working set is usage less
    /// `total_inactive_file` (never below 0), RSS is `total_rss`.
    static func cgroupMemory(usage: UInt64, limit: UInt64?, stat: [String: UInt64]) -> MemoryReading {
        let inactive = stat["total_inactive_file"] ?? 0
        return MemoryReading(usageBytes: usage, workingSetBytes: usage > inactive ? usage - inactive : 0,
                             rssBytes: stat["total_rss"] ?? 0, pageFaults: stat["total_pgfault"],
                             majorPageFaults: stat["total_pgmajfault"], limitBytes: limit.flatMap { $0 > unlimited ? nil : $0 })
    }

    /// One process's figures from `/proc/PID/stat`.
    struct ProcessStat: Sendable, Equatable {
        /// utime+stime, and cutime+cstime: the children it waited for, whose time would
        /// otherwise vanish from the container's total when they exit.
        var cpuTicks: UInt64
        var rssPages: UInt64
        var minorFaults: UInt64
        var majorFaults: UInt64
    }

    /// Parses `/proc/PID/stat`; the command (field 2) may hold spaces and parentheses, so the
    /// fields are counted from its last ')'.
    static func processStat(_ text: String) -> ProcessStat? {
        guard let close = text.lastIndex(of: ")") else { return nil }
        // Fields from 3 (state) on: minflt is field 10, majflt 12, utime..cstime 14-17, rss 24.
        let f = text[text.index(after: close)...].split(separator: " ", omittingEmptySubsequences: true)
        func field(_ n: Int) -> UInt64? { n - 3 < f.count ? UInt64(f[n - 3]) : nil }
        guard let utime = field(14), let stime = field(15), let cutime = field(16), let cstime = field(17),
              let rss = field(24) else { return nil }
        return ProcessStat(cpuTicks: utime + stime + cutime + cstime, rssPages: rss,
                           minorFaults: field(10) ?? 0, majorFaults: field(12) ?? 0)
    }

    /// The machine's busy CPU time in ticks from `/proc/stat`'s `cpu` line: everything but
    /// idle and iowait (guest time is already inside user).
    static func machineCPUTicks(_ procStat: String) -> UInt64? {
        guard let line = procStat.split(separator: "\n").first(where: { $0.hasPrefix("cpu ") }) else { return nil }
        let v = line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().compactMap { UInt64($0) }
        guard v.count >= 4 else { return nil }
        // user nice system idle iowait irq softirq steal
        return v.prefix(8).enumerated().reduce(0) { $0 + ($1.offset == 3 || $1.offset == 4 ? 0 : $1.element) }
    }

    /// The boot time (`btime`, seconds since the epoch) from `/proc/stat`.
    static func bootTime(_ procStat: String) -> Date? {
        guard let line = procStat.split(separator: "\n").first(where: { $0.hasPrefix("btime ") }),
              let s = TimeInterval(line.dropFirst(6).trimmingCharacters(in: .whitespaces)) else { return nil }
        return Date(timeIntervalSince1970: s)
    }

    /// The machine's memory, as the kubelet reports its root cgroup: usage is what is not
    /// free, the working set leaves out the inactive file cache, RSS is anonymous memory, the
    /// limit is the machine's memory.
    static func machineMemory(meminfo: String, vmstat: String) -> MemoryReading? {
        var kib: [String: UInt64] = [:]
        for line in meminfo.split(separator: "\n") {
            let f = line.split(separator: " ", omittingEmptySubsequences: true)
            if f.count >= 2, f[0].hasSuffix(":"), let v = UInt64(f[1]) { kib[String(f[0].dropLast())] = v * 1024 }
        }
        guard let total = kib["MemTotal"], let free = kib["MemFree"] else { return nil }
        let usage = total > free ? total - free : 0
        let inactive = kib["Inactive(file)"] ?? 0
        let events = table(vmstat)
        return MemoryReading(usageBytes: usage, workingSetBytes: usage > inactive ? usage - inactive : 0,
                             rssBytes: kib["AnonPages"] ?? 0, pageFaults: events["pgfault"],
                             majorPageFaults: events["pgmajfault"], limitBytes: total)
    }
}
