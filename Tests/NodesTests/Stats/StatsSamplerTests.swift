import Foundation
import KubeClient
import KubeModel
import Synchronization
import Testing

@testable import Nodes

/// What the test sets: the pods, the cumulative CPU and memory of each container instance,
/// and the node's.
final class FixedReadings: UsageReader {
    let pods = Mutex<[SampledPod]>([])
    let containers = Mutex<[String: (cpuNanoseconds: UInt64, memory: MemoryReading)]>([:])
    let machine = Mutex<(cpuNanoseconds: UInt64, memory: MemoryReading)?>(nil)
    let bootTime = Date(timeIntervalSince1970: 1_789_000_000)

    func container(_ c: SampledContainer) -> (cpuNanoseconds: UInt64, memory: MemoryReading)? { containers.withLock { $0[c.containerID] } }
    func node() -> (cpuNanoseconds: UInt64, memory: MemoryReading)? { machine.withLock { $0 } }

    func set(_ id: String, cpu: UInt64, workingSet: UInt64 = 10 << 20, limit: UInt64? = nil) {
        let m = MemoryReading(usageBytes: workingSet + (1 << 20), workingSetBytes: workingSet, rssBytes: workingSet,
                              pageFaults: 7, majorPageFaults: 1, limitBytes: limit)
        containers.withLock { $0[id] = (cpu, m) }
    }
}

/// The sampler's arithmetic on a test clock: rates from the last two samples, as cAdvisor's,
/// and no more than two samples of any container, forgotten when it goes.
@Suite struct StatsSamplerTests {
    static let start = Date(timeIntervalSince1970: 1_790_000_000)

    static func pod(_ name: String, _ ids: [String]) -> SampledPod {
        SampledPod(namespace: "default", name: name, uid: "uid-\(name)", startTime: start,
                   containers: ids.map { SampledContainer(name: "c-\($0)", containerID: $0, startedAt: start, cgroup: nil, pid: 1) })
    }

    /// A sampler of `pods` (which the test may change through `readings.pods`) on a test clock.
    static func sampler(_ pods: [SampledPod]) -> (ManualClock, FixedReadings, StatsSampler) {
        let clock = ManualClock(start: start)
        let readings = FixedReadings()
        readings.pods.withLock { $0 = pods }
        return (clock, readings, StatsSampler(nodeName: "n1", clock: clock, interval: 10, reader: readings) { readings.pods.withLock { $0 } })
    }

    @Test func usageNanoCoresIsTheRateOverTheLastTwoSamples() {
        let (clock, readings, sampler) = Self.sampler([Self.pod("p", ["a", "b"])])
        readings.set("a", cpu: 1_000_000_000)
        readings.set("b", cpu: 0)
        sampler.sample()
        var pod = sampler.statsSummary().pods[0]
        // One sample: the cumulative time, but no rate yet.
        #expect(pod.containers[0].cpu?.usageCoreNanoSeconds == 1_000_000_000)
        #expect(pod.containers[0].cpu?.usageNanoCores == nil)
        #expect(pod.cpu?.usageNanoCores == nil)

        clock.advance(by: 10)
        readings.set("a", cpu: 6_000_000_000)  // 5 s of CPU in 10 s: half a core
        readings.set("b", cpu: 10_000_000_000)  // a whole core
        sampler.sample()
        pod = sampler.statsSummary().pods[0]
        #expect(pod.containers[0].cpu?.usageNanoCores == 500_000_000)
        #expect(pod.containers[1].cpu?.usageNanoCores == 1_000_000_000)
        #expect(pod.containers[0].cpu?.time == Self.start.addingTimeInterval(10))
        // The pod's is the sum of its containers'.
        #expect(pod.cpu?.usageNanoCores == 1_500_000_000)
        #expect(pod.cpu?.usageCoreNanoSeconds == 16_000_000_000)

        // Only the last two count: 2 s more in the next 4 s.
        clock.advance(by: 4)
        readings.set("a", cpu: 8_000_000_000)
        sampler.sample()
        #expect(sampler.statsSummary().pods[0].containers[0].cpu?.usageNanoCores == 500_000_000)
    }

    @Test func keepsNoMoreThanItsLiveContainersAndStartsOverForANewInstance() {
        let (clock, readings, sampler) = Self.sampler([Self.pod("p", ["a"]), Self.pod("q", ["b"])])
        readings.set("a", cpu: 1_000)
        readings.set("b", cpu: 1_000)
        for _ in 0..<5 {
            sampler.sample()
            clock.advance(by: 10)
        }
        #expect(sampler.sampledContainers == 2)
        // q is gone and p's container restarted (a new instance, whose counter starts over).
        readings.pods.withLock { $0 = [Self.pod("p", ["a2"])] }
        readings.set("a2", cpu: 10)
        sampler.sample()
        #expect(sampler.sampledContainers == 1)
        let summary = sampler.statsSummary()
        #expect(summary.pods.map(\.name) == ["p"])
        #expect(summary.pods[0].containers[0].cpu?.usageNanoCores == nil)
        // A container that is gone before it is read has no figures, and the pod none either.
        readings.pods.withLock { $0 = [Self.pod("p", ["gone"])] }
        sampler.sample()
        #expect(sampler.sampledContainers == 0)
        #expect(sampler.statsSummary().pods[0].containers[0].cpu == nil)
        #expect(sampler.statsSummary().pods[0].memory == nil)
    }

    @Test func aCounterThatGoesBackHasNoRate() {
        let (clock, readings, sampler) = Self.sampler([Self.pod("p", ["a"])])
        readings.set("a", cpu: 5_000)
        sampler.sample()
        clock.advance(by: 10)
        readings.set("a", cpu: 4_000)
        sampler.sample()
        #expect(sampler.statsSummary().pods[0].containers[0].cpu?.usageNanoCores == nil)
    }

    @Test func memoryIsTheLatestSampleAndAvailableIsTheLimitLessTheWorkingSet() {
        let (_, readings, sampler) = Self.sampler([Self.pod("p", ["a", "b"])])
        readings.set("a", cpu: 0, workingSet: 40 << 20, limit: 64 << 20)
        readings.set("b", cpu: 0, workingSet: 10 << 20, limit: 32 << 20)
        readings.machine.withLock {
            $0 = (3_000_000_000, MemoryReading(usageBytes: 6 << 30, workingSetBytes: 4 << 30, rssBytes: 3 << 30, pageFaults: 9,
                                               majorPageFaults: 2, limitBytes: 8 << 30))
        }
        sampler.sample()
        let s = sampler.statsSummary()
        #expect(s.pods[0].containers[0].memory?.workingSetBytes == 40 << 20)
        #expect(s.pods[0].containers[0].memory?.availableBytes == 24 << 20)
        #expect(s.pods[0].memory?.workingSetBytes == 50 << 20)
        #expect(s.pods[0].memory?.availableBytes == 46 << 20)
        #expect(s.node.memory?.availableBytes == 4 << 30)
        #expect(s.node.cpu?.usageCoreNanoSeconds == 3_000_000_000)
        #expect(s.node.startTime == readings.bootTime)
        // A container without a limit leaves the pod's availableBytes out.
        readings.set("b", cpu: 0)
        sampler.sample()
        #expect(sampler.statsSummary().pods[0].memory?.availableBytes == nil)
    }

    @Test func theSummaryJSONHasTheKubeletsFieldNames() throws {
        let (clock, readings, sampler) = Self.sampler([Self.pod("p", ["a"])])
        readings.set("a", cpu: 1_000_000_000)
        sampler.sample()
        clock.advance(by: 10)
        readings.set("a", cpu: 3_000_000_000)
        sampler.sample()
        let json = sampler.statsSummary().json
        #expect(json[path: ["node", "nodeName"]] == "n1")
        #expect(json[path: ["node", "startTime"]] == "2026-09-10T00:26:40Z")
        let pod = try #require(json["pods"]?.arrayValue?.first)
        #expect(pod["podRef"] == ["name": "p", "namespace": "default", "uid": "uid-p"])
        #expect(pod[path: ["cpu", "usageNanoCores"]] == .int(200_000_000))
        let c = try #require(pod["containers"]?.arrayValue?.first)
        #expect(c["name"] == "c-a")
        #expect(c["startTime"] == .string(Timestamp.format(Self.start)))
        #expect(c["cpu"] == ["time": .string(Timestamp.format(Self.start.addingTimeInterval(10))), "usageNanoCores": .int(200_000_000),
                             "usageCoreNanoSeconds": .int(3_000_000_000)])
        #expect(c[path: ["memory", "workingSetBytes"]] == .int(10 << 20))
        #expect(c[path: ["memory", "usageBytes"]] == .int(11 << 20))
        #expect(c[path: ["memory", "rssBytes"]] == .int(10 << 20))
        #expect(c[path: ["memory", "pageFaults"]] == 7)
        #expect(c[path: ["memory", "majorPageFaults"]] == 1)
        #expect(c[path: ["memory", "availableBytes"]] == nil)
        // No node reading: the node's cpu and memory are left out, as omitempty does.
        #expect(json[path: ["node", "cpu"]] == nil)
    }
}
