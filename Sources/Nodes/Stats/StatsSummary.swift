import Foundation
import KubeModel

/// What a node's kubelet serves at `/stats/summary` (`k8s.io/kubelet/pkg/apis/stats/v1alpha1`,
/// the CPU and memory parts): the node's totals and each pod's containers, as sampled.
public struct StatsSummary: Sendable, Equatable {
    /// The machine's totals.
    public var node: NodeStats
    /// Every pod that runs on the node, by namespace and name.
    public var pods: [PodStats]

    /// The node's figures (the kubelet reports its root cgroup; here, the machine's).
    public struct NodeStats: Sendable, Equatable {
        public var nodeName: String
        /// When the node's figures started counting (the machine's boot).
        public var startTime: Date
        public var cpu: CPUStats?
        public var memory: MemoryStats?
    }

    /// A pod's figures: its running containers' and their sum.
    public struct PodStats: Sendable, Equatable {
        public var name: String
        public var namespace: String
        public var uid: String
        public var startTime: Date
        public var containers: [ContainerStats]
        public var cpu: CPUStats?
        public var memory: MemoryStats?
    }

    /// One running container instance's figures; nil until it has been sampled.
    public struct ContainerStats: Sendable, Equatable {
        public var name: String
        public var startTime: Date
        public var cpu: CPUStats?
        public var memory: MemoryStats?
    }

    /// CPU use as of `time`, the sample's.
    public struct CPUStats: Sendable, Equatable {
        public var time: Date
        /// The rate over the last two samples, in billionths of a core; nil until there are two.
        public var usageNanoCores: UInt64?
        /// Cumulative CPU time since the container (or the node) started.
        public var usageCoreNanoSeconds: UInt64
    }

    /// Memory use as of `time`, the sample's; the working set is what `kubectl top` shows.
    public struct MemoryStats: Sendable, Equatable {
        public var time: Date
        /// The limit minus the working set; nil when there is no limit.
        public var availableBytes: UInt64?
        public var usageBytes: UInt64
        public var workingSetBytes: UInt64
        public var rssBytes: UInt64
        public var pageFaults: UInt64?
        public var majorPageFaults: UInt64?
    }
}

extension StatsSummary {
    /// The Summary API's JSON; optional figures are left out as the kubelet's `omitempty` does.
    public var json: JSONValue {
        ["node": node.json, "pods": .array(pods.map(\.json))]
    }
}

extension JSONValue {
    /// With the usage figures that are known; the others left out.
    fileprivate func adding(cpu: StatsSummary.CPUStats?, memory: StatsSummary.MemoryStats?) -> JSONValue {
        var o = self
        if let cpu { o["cpu"] = cpu.json }
        if let memory { o["memory"] = memory.json }
        return o
    }
}

extension StatsSummary.NodeStats {
    var json: JSONValue {
        let o: JSONValue = ["nodeName": .string(nodeName), "startTime": .string(Timestamp.format(startTime))]
        return o.adding(cpu: cpu, memory: memory)
    }
}

extension StatsSummary.PodStats {
    var json: JSONValue {
        let o: JSONValue = [
            "podRef": ["name": .string(name), "namespace": .string(namespace), "uid": .string(uid)],
            "startTime": .string(Timestamp.format(startTime)), "containers": .array(containers.map(\.json)),
        ]
        return o.adding(cpu: cpu, memory: memory)
    }
}

extension StatsSummary.ContainerStats {
    var json: JSONValue {
        let o: JSONValue = ["name": .string(name), "startTime": .string(Timestamp.format(startTime))]
        return o.adding(cpu: cpu, memory: memory)
    }
}

extension StatsSummary.CPUStats {
    var json: JSONValue {
        var o: JSONValue = ["time": .string(Timestamp.format(time)), "usageCoreNanoSeconds": .int(Int64(clamping: usageCoreNanoSeconds))]
        if let usageNanoCores { o["usageNanoCores"] = .int(Int64(clamping: usageNanoCores)) }
        return o
    }
}

extension StatsSummary.MemoryStats {
    var json: JSONValue {
        var o: JSONValue = ["time": .string(Timestamp.format(time)), "usageBytes": .int(Int64(clamping: usageBytes)),
                            "workingSetBytes": .int(Int64(clamping: workingSetBytes)), "rssBytes": .int(Int64(clamping: rssBytes))]
        if let availableBytes { o["availableBytes"] = .int(Int64(clamping: availableBytes)) }
        if let pageFaults { o["pageFaults"] = .int(Int64(clamping: pageFaults)) }
        if let majorPageFaults { o["majorPageFaults"] = .int(Int64(clamping: majorPageFaults)) }
        return o
    }
}
