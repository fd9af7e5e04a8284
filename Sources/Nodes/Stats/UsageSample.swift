import Foundation

/// One reading of what a container (or the node) uses, stamped with the node's clock: the
/// cumulative CPU time and the memory figures at that moment. The CPU rate needs two.
struct UsageSample: Sendable, Equatable {
    var time: Date
    /// Cumulative CPU time in nanoseconds (cpuacct.usage; utime+stime from /proc).
    var cpuNanoseconds: UInt64
    var memory: MemoryReading
}

/// Memory as cAdvisor reports it.
struct MemoryReading: Sendable, Equatable {
    var usageBytes: UInt64
    /// Usage minus the inactive file cache, which the kernel reclaims first: what eviction and
    /// `kubectl top` count.
    var workingSetBytes: UInt64
    var rssBytes: UInt64
    var pageFaults: UInt64?
    var majorPageFaults: UInt64?
    /// What the working set is measured against (`availableBytes`); nil: unlimited.
    var limitBytes: UInt64?
}

/// The last two samples of one container or of the node: all the sampler keeps of it.
struct UsageWindow: Sendable, Equatable {
    var previous: UsageSample?
    var latest: UsageSample

    /// The next window: `sample` becomes the latest, the latest the previous.
    func adding(_ sample: UsageSample) -> UsageWindow { UsageWindow(previous: latest, latest: sample) }

    /// The CPU rate between the two samples in billionths of a core, as cAdvisor derives
    /// `usageNanoCores`; nil with one sample, or when the counter went back (a new instance).
    var usageNanoCores: UInt64? {
        guard let previous, latest.cpuNanoseconds >= previous.cpuNanoseconds else { return nil }
        let seconds = latest.time.timeIntervalSince(previous.time)
        guard seconds > 0 else { return nil }
        return UInt64((Double(latest.cpuNanoseconds - previous.cpuNanoseconds) / seconds).rounded())
    }

    var cpu: StatsSummary.CPUStats {
        StatsSummary.CPUStats(time: latest.time, usageNanoCores: usageNanoCores, usageCoreNanoSeconds: latest.cpuNanoseconds)
    }

    var memory: StatsSummary.MemoryStats {
        let m = latest.memory
        return StatsSummary.MemoryStats(
            time: latest.time, availableBytes: m.limitBytes.map { $0 > m.workingSetBytes ? $0 - m.workingSetBytes : 0 },
            usageBytes: m.usageBytes, workingSetBytes: m.workingSetBytes, rssBytes: m.rssBytes,
            pageFaults: m.pageFaults, majorPageFaults: m.majorPageFaults)
    }
}
