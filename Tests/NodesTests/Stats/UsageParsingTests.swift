import Foundation
import Testing

@testable import Nodes

/// The kernel's files read as cAdvisor reads them, from fixed text.
@Suite struct UsageParsingTests {
    @Test func theWorkingSetIsUsageLessTheInactiveFileCache() {
        let stat = UsageParsing.table("""
            cache 31457280
            rss 62914560
            total_cache 31457280
            total_rss 62914560
            total_inactive_file 31457280
            total_active_file 0
            total_pgfault 1200
            total_pgmajfault 3
            """)
        let m = UsageParsing.cgroupMemory(usage: 100 << 20, limit: 128 << 20, stat: stat)
        #expect(m.usageBytes == 100 << 20)
        #expect(m.workingSetBytes == 70 << 20)
        #expect(m.rssBytes == 60 << 20)
        #expect(m.pageFaults == 1200 && m.majorPageFaults == 3)
        #expect(m.limitBytes == 128 << 20)
        // More inactive cache than usage (the counters are read apart): 0, not a wrap-around.
        #expect(UsageParsing.cgroupMemory(usage: 10, limit: nil, stat: ["total_inactive_file": 20]).workingSetBytes == 0)
        // A v1 cgroup without a limit reads PAGE_COUNTER_MAX: no limit.
        #expect(UsageParsing.cgroupMemory(usage: 10, limit: 9_223_372_036_854_771_712, stat: [:]).limitBytes == nil)
    }

    @Test func aProcessStatIsReadFromAfterItsCommand() throws {
        // A command with spaces and a parenthesis; utime 250, stime 50, cutime 100, cstime 0, rss 2560 pages.
        let text = "4242 (sh -c (x)) R 1 4242 4242 0 -1 4194304 900 0 4 0 250 50 100 0 20 0 1 0 12345 15000000 2560 18446744073709551615\n"
        let s = try #require(UsageParsing.processStat(text))
        #expect(s == UsageParsing.ProcessStat(cpuTicks: 400, rssPages: 2560, minorFaults: 900, majorFaults: 4))
        #expect(UsageParsing.processStat("4242 (sh) R 1") == nil)

        let usage = HostUsageReader.treeUsage([s, UsageParsing.ProcessStat(cpuTicks: 100, rssPages: 1440, minorFaults: 100, majorFaults: 0)])
        #expect(usage.cpuNanoseconds == 500 * 1_000_000_000 / HostUsageReader.ticksPerSecond)
        #expect(usage.memory.workingSetBytes == 4000 * HostUsageReader.pageSize)
        #expect(usage.memory.rssBytes == usage.memory.workingSetBytes && usage.memory.usageBytes == usage.memory.workingSetBytes)
        #expect(usage.memory.pageFaults == 1004 && usage.memory.majorPageFaults == 4)
    }

    @Test func theMachineFromProcStatAndMeminfo() {
        let stat = """
            cpu  7420064 292 1149037 1962353 57280 0 79867 83850 0 0
            cpu0 3710032 146 574518 981176 28640 0 39933 41925 0 0
            btime 1796136901
            """
        // Everything but idle and iowait.
        #expect(UsageParsing.machineCPUTicks(stat) == 7420064 + 292 + 1149037 + 0 + 79867 + 83850)
        #expect(UsageParsing.bootTime(stat) == Date(timeIntervalSince1970: 1796136901))
        let m = UsageParsing.machineMemory(meminfo: """
            MemTotal:        8000000 kB
            MemFree:         2000000 kB
            MemAvailable:    5000000 kB
            Inactive(file):  1500000 kB
            AnonPages:       3000000 kB
            """, vmstat: "pgfault 77\npgmajfault 5\n")
        #expect(m == MemoryReading(usageBytes: 6_000_000 * 1024, workingSetBytes: 4_500_000 * 1024, rssBytes: 3_000_000 * 1024,
                                   pageFaults: 77, majorPageFaults: 5, limitBytes: 8_000_000 * 1024))
        #expect(UsageParsing.machineMemory(meminfo: "", vmstat: "") == nil)
    }

    @Test func thisMachineCanBeRead() throws {
        let node = try #require(HostUsageReader().node())
        #expect(node.cpuNanoseconds > 0 && node.memory.workingSetBytes > 0)
        #expect(HostUsageReader().bootTime < Date())
        // This test process, read as a container without a cgroup.
        let me = try #require(HostUsageReader().container(SampledContainer(name: "me", containerID: "x", startedAt: Date(), cgroup: nil,
                                                                           pid: getpid())))
        #expect(me.memory.rssBytes > 1 << 20)
    }
}
