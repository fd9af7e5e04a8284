import Foundation
import KubeClient
import Synchronization

/// A pod the sampler measures: its identity and its running container instances.
struct SampledPod: Sendable {
    var namespace: String
    var name: String
    var uid: String
    var startTime: Date
    var containers: [SampledContainer]
}

/// Samples every running container of a node, and the node itself, every `interval`, as the
/// kubelet's cAdvisor does on its housekeeping interval, and keeps the last two samples of each
/// (the CPU rate needs two); a container that is gone is forgotten at the next sample. It serves
/// what it holds as the Summary API.
///
/// The interval is cAdvisor's default housekeeping interval, 10 s: metrics-server scrapes every
/// 15 s (its `--metric-resolution`) and computes its own rates from the cumulative counters, so
/// every scrape finds a sample at most 10 s old, and 100 pods cost a few hundred small file
/// reads every 10 s. Tests pass a shorter one.
public final class StatsSampler: NodeStatsSource {
    /// cAdvisor's housekeeping interval (see above).
    public static let defaultInterval: TimeInterval = 10

    let nodeName: String
    let clock: any WallClock
    let interval: TimeInterval
    let reader: any UsageReader
    let targets: @Sendable () -> [SampledPod]
    private let state = Mutex(State())

    private struct State {
        var pods: [SampledPod] = []
        var containers: [String: UsageWindow] = [:]
        var node: UsageWindow?
    }

    init(nodeName: String, clock: any WallClock, interval: TimeInterval = StatsSampler.defaultInterval,
         reader: any UsageReader = HostUsageReader(), targets: @escaping @Sendable () -> [SampledPod]) {
        self.nodeName = nodeName
        self.clock = clock
        self.interval = interval
        self.reader = reader
        self.targets = targets
    }

    /// Samples until cancelled, reading the files off the concurrency pool.
    public func run() async {
        while !Task.isCancelled {
            await Blocking.run { [self] in sample() }
            guard (try? await clock.sleep(for: interval)) != nil else { return }
        }
    }

    /// Takes one sample of every running container and of the node, at the clock's now.
    func sample() {
        let now = clock.now()
        let pods = targets()
        var readings: [String: UsageSample] = [:]
        for pod in pods {
            for c in pod.containers {
                if let r = reader.container(c) { readings[c.containerID] = UsageSample(time: now, cpuNanoseconds: r.cpuNanoseconds, memory: r.memory) }
            }
        }
        let node = reader.node().map { UsageSample(time: now, cpuNanoseconds: $0.cpuNanoseconds, memory: $0.memory) }
        state.withLock { s in
            let old = s.containers
            s.containers = readings.reduce(into: [:]) { out, r in
                out[r.key] = old[r.key]?.adding(r.value) ?? UsageWindow(latest: r.value)
            }
            s.node = node.map { s.node?.adding($0) ?? UsageWindow(latest: $0) }
            s.pods = pods
        }
    }

    /// How many containers it holds samples of (each at most two).
    var sampledContainers: Int { state.withLock { $0.containers.count } }

    /// The last samples as the Summary API: each pod of the last sample with its containers,
    /// and the pods' figures summed from their containers' (what a pod cgroup would count).
    public func statsSummary() -> StatsSummary {
        let (pods, windows, node) = state.withLock { ($0.pods, $0.containers, $0.node) }
        return StatsSummary(
            node: .init(nodeName: nodeName, startTime: reader.bootTime, cpu: node?.cpu, memory: node?.memory),
            pods: pods.map { pod in
                let containers = pod.containers.map { c in
                    let w = windows[c.containerID]
                    return StatsSummary.ContainerStats(name: c.name, startTime: c.startedAt, cpu: w?.cpu, memory: w?.memory)
                }
                return StatsSummary.PodStats(name: pod.name, namespace: pod.namespace, uid: pod.uid, startTime: pod.startTime,
                                             containers: containers, cpu: Self.total(containers.compactMap(\.cpu)),
                                             memory: Self.total(containers.compactMap(\.memory), all: containers.count))
            })
    }

    /// A pod's CPU: the sum of its containers'; a rate only when every container has one.
    static func total(_ cpu: [StatsSummary.CPUStats]) -> StatsSummary.CPUStats? {
        guard let time = cpu.map(\.time).max() else { return nil }
        let rates = cpu.compactMap(\.usageNanoCores)
        return .init(time: time, usageNanoCores: rates.count == cpu.count ? rates.reduce(0, +) : nil,
                     usageCoreNanoSeconds: cpu.reduce(0) { $0 + $1.usageCoreNanoSeconds })
    }

    /// A pod's memory: the sum of its containers'; available only when all `all` have limits.
    static func total(_ memory: [StatsSummary.MemoryStats], all: Int) -> StatsSummary.MemoryStats? {
        guard let time = memory.map(\.time).max() else { return nil }
        let available = memory.compactMap(\.availableBytes)
        func sum(_ f: (StatsSummary.MemoryStats) -> UInt64?) -> UInt64? {
            let v = memory.compactMap(f)
            return v.count == memory.count ? v.reduce(0, +) : nil
        }
        return .init(time: time, availableBytes: memory.count == all && available.count == all ? available.reduce(0, +) : nil,
                     usageBytes: memory.reduce(0) { $0 + $1.usageBytes }, workingSetBytes: memory.reduce(0) { $0 + $1.workingSetBytes },
                     rssBytes: memory.reduce(0) { $0 + $1.rssBytes }, pageFaults: sum(\.pageFaults), majorPageFaults: sum(\.majorPageFaults))
    }
}

extension PodRecords {
    /// The pods that run something, with their running instances (init containers too).
    var sampledPods: [SampledPod] {
        all.compactMap { r in
            guard !r.finished, let start = r.startTime else { return nil }
            let running = (r.initContainers.sorted { $0.key < $1.key } + r.containers.sorted { $0.key < $1.key }).compactMap { name, c in
                c.running.map { SampledContainer(name: name, containerID: $0.containerID, startedAt: $0.startedAt, cgroup: $0.cgroup, pid: $0.pid) }
            }
            return SampledPod(namespace: r.namespace, name: r.name, uid: r.uid, startTime: start, containers: running)
        }.sorted { ($0.namespace, $0.name) < ($1.namespace, $1.name) }
    }
}
