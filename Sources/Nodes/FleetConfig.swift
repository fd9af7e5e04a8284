import Foundation
import KubeModel

/// One kind of simulated machine: how many, their names, size, labels and taints.
public struct NodeGroup: Sendable, Equatable {
    public var namePrefix: String
    public var count: Int
    public var cpu: String
    public var memory: String
    public var maxPods: Int
    public var labels: [String: String]
    public var taints: [Taint]
    /// `type: process` in a fleet file: nodes whose pods are real processes.
    public var processBacked = false
    /// For process-backed nodes: CPU and memory were not given, so the machine's are reported.
    public var cpuFromMachine = false
    public var memoryFromMachine = false

    public init(namePrefix: String = "kplane-node-", count: Int, cpu: String = "4", memory: String = "16Gi", maxPods: Int = 110,
                labels: [String: String] = [:], taints: [Taint] = []) {
        self.namePrefix = namePrefix
        self.count = count
        self.cpu = cpu
        self.memory = memory
        self.maxPods = maxPods
        self.labels = labels
        self.taints = taints
    }
}

extension NodeGroup {
    /// One process-backed node the size of this machine.
    public static func machine(maxPods: Int = 110) -> NodeGroup {
        var g = NodeGroup(count: 1, maxPods: maxPods)
        g.processBacked = true
        g.cpuFromMachine = true
        g.memoryFromMachine = true
        return g
    }
}

/// How the simulated fleet looks and behaves, as data (KWOK's stages in small): the machines,
/// and the delays that stand in for image pulls, container starts and graceful shutdown.
public struct FleetConfig: Sendable {
    public var groups: [NodeGroup]
    /// Seconds from binding to Running (image pull and container start).
    public var startupSeconds: Double
    /// A deleted pod is gone after its grace period, but never later than this many seconds.
    public var terminationCapSeconds: Double
    /// Multiplies probe delays (`initialDelaySeconds`): below 1 makes rollouts of real
    /// manifests quicker to watch or test, 1 keeps Kubernetes' timing.
    public var probeDelayScale: Double = 1
    /// How often each node renews its Lease, and how long a Lease lasts (kubelet's defaults).
    public var leaseRenewSeconds: Double = 10
    public var leaseDurationSeconds: Int64 = 40

    public init(groups: [NodeGroup], startupSeconds: Double = 0, terminationCapSeconds: Double = 1) {
        self.groups = groups
        self.startupSeconds = startupSeconds
        self.terminationCapSeconds = terminationCapSeconds
    }

    /// `nodes` identical nodes named kplane-node-1…N.
    public init(nodes: Int = 3, cpu: String = "4", memory: String = "16Gi", maxPods: Int = 110,
                startupSeconds: Double = 0, terminationCapSeconds: Double = 1) {
        self.init(groups: [NodeGroup(count: nodes, cpu: cpu, memory: memory, maxPods: maxPods)],
                  startupSeconds: startupSeconds, terminationCapSeconds: terminationCapSeconds)
    }

    /// Every node with its group, in order; names count up within each prefix.
    public var nodes: [(name: String, group: NodeGroup)] {
        var out: [(String, NodeGroup)] = []
        var used: [String: Int] = [:]
        for g in groups {
            for _ in 0..<max(0, g.count) {
                let n = used[g.namePrefix, default: 0] + 1
                used[g.namePrefix] = n
                out.append(("\(g.namePrefix)\(n)", g))
            }
        }
        return out
    }

    public var nodeNames: [String] { nodes.map(\.name) }

    /// The simulated part of the fleet, and its process-backed nodes by name.
    public var split: (simulated: FleetConfig, process: [(name: String, group: NodeGroup)]) {
        var simulated = self
        simulated.groups = groups.filter { !$0.processBacked }
        return (simulated, nodes.filter { $0.group.processBacked })
    }
    public var nodeCount: Int { groups.reduce(0) { $0 + max(0, $1.count) } }

    /// Each node's pods come from its own /24 of the cluster's 10.0.0.0/8, from 10.244.0.0/24
    /// up, as kube-controller-manager hands out pod CIDRs.
    public func podCIDR(node index: Int) -> String { "10.\((244 + index / 256) % 256).\(index % 256).0/24" }
    public func internalIP(node index: Int) -> String { "172.18.\(index / 250).\(index % 250 + 2)" }

    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
    }

    /// A fleet file (`apiVersion: kplane.dev/v1alpha1`, `kind: Fleet`), already read from YAML:
    ///
    ///     nodeGroups:
    ///     - {namePrefix: zone-a-, count: 2, cpu: "8", memory: 32Gi, labels: {topology.kubernetes.io/zone: a}}
    ///     - {namePrefix: gpu-, count: 1, taints: [{key: gpu, value: "true", effect: NoSchedule}]}
    ///     pods: {startupSeconds: 1, terminationCapSeconds: 2}
    public init(fleet doc: JSONValue) throws {
        guard doc["kind"] == "Fleet" else { throw Invalid(description: "a fleet file needs kind: Fleet (apiVersion: kplane.dev/v1alpha1)") }
        var groups: [NodeGroup] = []
        for (i, g) in (doc["nodeGroups"]?.arrayValue ?? []).enumerated() {
            guard let count = g["count"]?.intValue, count >= 0 else { throw Invalid(description: "nodeGroups[\(i)].count: a number of nodes is required") }
            var group = NodeGroup(namePrefix: g["namePrefix"]?.stringValue ?? "kplane-node-", count: Int(count))
            for (field, keyPath) in [("cpu", \NodeGroup.cpu), ("memory", \NodeGroup.memory)] {
                guard let v = g[field] else { continue }
                let text = v.stringValue ?? v.intValue.map { String($0) } ?? ""
                guard Quantity(text) != nil else { throw Invalid(description: "nodeGroups[\(i)].\(field): \(Quantity.formatMessage)") }
                group[keyPath: keyPath] = text
            }
            if let pods = g["pods"]?.intValue { group.maxPods = Int(pods) }
            switch g["type"]?.stringValue ?? "simulated" {
            case "simulated": break
            case "process":
                group.processBacked = true
                group.cpuFromMachine = g["cpu"] == nil
                group.memoryFromMachine = g["memory"] == nil
            case let other: throw Invalid(description: "nodeGroups[\(i)].type: Unsupported value: \"\(other)\": supported values: \"simulated\", \"process\"")
            }
            for (k, v) in g["labels"]?.objectValue ?? [:] { group.labels[k] = v.stringValue ?? "" }
            group.taints = (g["taints"]?.arrayValue ?? []).map(Taint.init)
            for (j, t) in group.taints.enumerated() where !["NoSchedule", "PreferNoSchedule", "NoExecute"].contains(t.effect) {
                throw Invalid(description: "nodeGroups[\(i)].taints[\(j)].effect: Unsupported value: \"\(t.effect)\": supported values: \"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\"")
            }
            groups.append(group)
        }
        guard !groups.isEmpty else { throw Invalid(description: "a fleet file needs at least one entry in nodeGroups") }
        self.init(groups: groups)
        let pods = doc["pods"]
        startupSeconds = pods?["startupSeconds"]?.doubleValue ?? 0
        terminationCapSeconds = pods?["terminationCapSeconds"]?.doubleValue ?? 1
        probeDelayScale = pods?["probeDelayScale"]?.doubleValue ?? 1
    }
}
