import Foundation
import KubeModel

/// Topology spread constraints: a `DoNotSchedule` constraint filters out nodes where placing the
/// pod would make its domain exceed `maxSkew` over the emptiest domain; `ScheduleAnyway`
/// constraints (and, for a pod with none, the system defaults that spread an owner's pods over
/// hosts and zones) score the emptier domains higher (weight 2).
struct PodTopologySpread: FilterPlugin, ScorePlugin {
    let name = "PodTopologySpread"
    let weight: Int64 = 2
    static let hostname = "kubernetes.io/hostname"
    static let zone = "topology.kubernetes.io/zone"

    struct FilterState: Sendable {
        var constraints: [SpreadConstraint] = []
        /// Matching pods per constraint, per domain (label value) of its topology key.
        var counts: [[String: Int64]] = []
        var minimum: [Int64] = []
    }

    /// Whether a node counts for a constraint's domains: it has every key, and the node
    /// affinity and taint policies allow it.
    static func eligible(_ pod: PodInfo, _ node: NodeInfo, _ constraints: [SpreadConstraint]) -> Bool {
        guard let first = constraints.first else { return false }
        if first.honorNodeAffinity && !NodeAffinity.matches(pod, node) { return false }
        if first.honorTaints && node.taints.contains(where: { ($0.effect == "NoSchedule" || $0.effect == "NoExecute") && !pod.tolerations.tolerate($0) }) { return false }
        return constraints.allSatisfy { node.labels[$0.topologyKey] != nil }
    }

    static func matching(_ pod: PodInfo, _ node: NodeInfo, _ selector: LabelSelector) -> Int64 {
        Int64(node.pods.values.filter { $0.namespace == pod.namespace && selector.matches($0.labels) }.count)
    }

    func prepare(_ pod: PodInfo, _ cluster: SchedulerCache.State, _ cycle: inout CycleState) {
        let hard = pod.spreadConstraints.filter(\.hard)
        guard !hard.isEmpty else { return }
        var state = FilterState(constraints: hard, counts: Array(repeating: [:], count: hard.count))
        for node in cluster.nodes.values where Self.eligible(pod, node, hard) {
            for (i, c) in hard.enumerated() {
                let domain = node.labels[c.topologyKey] ?? ""
                state.counts[i][domain, default: 0] += Self.matching(pod, node, c.selector)
            }
        }
        state.minimum = hard.enumerated().map { i, c in
            Int64(state.counts[i].count) < c.minDomains ? 0 : (state.counts[i].values.min() ?? 0)
        }
        cycle.spread = state
    }

    func filter(_ pod: PodInfo, _ node: NodeInfo, _ cycle: CycleState) -> Rejection? {
        guard let state = cycle.spread else { return nil }
        for (i, c) in state.constraints.enumerated() {
            guard let domain = node.labels[c.topologyKey] else {
                return .unresolvable("node(s) didn't match pod topology spread constraints (missing required label)")
            }
            let selfMatch: Int64 = c.selector.matches(pod.labels) ? 1 : 0
            if (state.counts[i][domain] ?? 0) + selfMatch - state.minimum[i] > c.maxSkew {
                return .resolvable("node(s) didn't match pod topology spread constraints")
            }
        }
        return nil
    }

    // MARK: scoring

    struct ScoreState: Sendable {
        var constraints: [SpreadConstraint] = []
        /// Spread by controller: the system defaults count the owner's pods, here per node id.
        var ownerCounts: [Int32]?
        var counts: [[String: Int64]] = []
        var weights: [Double] = []
    }

    /// Kubernetes' system default constraints, for pods that declare none.
    static func defaults(_ pod: PodInfo) -> (constraints: [SpreadConstraint], owner: String?) {
        if !pod.spreadConstraints.isEmpty { return (pod.spreadConstraints.filter { !$0.hard }, nil) }
        guard let owner = pod.ownerUID else { return ([], nil) }
        return ([SpreadConstraint(maxSkew: 3, topologyKey: hostname, selector: LabelSelector()),
                 SpreadConstraint(maxSkew: 5, topologyKey: zone, selector: LabelSelector())], owner)
    }

    func count(_ pod: PodInfo, _ node: NodeInfo, _ c: SpreadConstraint, ownerCounts: [Int32]?) -> Int64 {
        if let ownerCounts { return node.id < ownerCounts.count ? Int64(ownerCounts[node.id]) : 0 }
        return Self.matching(pod, node, c.selector)
    }

    func prepareScore(_ pod: PodInfo, _ feasible: [NodeInfo], _ cluster: SchedulerCache.State, _ cycle: inout CycleState) {
        var (constraints, owner) = Self.defaults(pod)
        // Default constraints apply only to keys that the cluster's nodes carry.
        if owner != nil { constraints = constraints.filter { c in feasible.contains { $0.labels[c.topologyKey] != nil } } }
        guard !constraints.isEmpty else { return }
        var state = ScoreState(constraints: constraints, counts: Array(repeating: [:], count: constraints.count))
        if let owner {
            var dense = [Int32](repeating: 0, count: cluster.nextNodeID)
            for (id, n) in cluster.ownerPods[owner] ?? [:] where id < dense.count { dense[id] = n }
            state.ownerCounts = dense
        }
        for (i, c) in constraints.enumerated() where c.topologyKey != Self.hostname {
            for node in cluster.nodes.values where Self.eligible(pod, node, constraints) {
                state.counts[i][node.labels[c.topologyKey] ?? "", default: 0] += count(pod, node, c, ownerCounts: state.ownerCounts)
            }
        }
        state.weights = constraints.map { c in
            let domains = c.topologyKey == Self.hostname ? feasible.count : Set(feasible.compactMap { $0.labels[c.topologyKey] }).count
            return log(Double(domains + 2))
        }
        cycle.spreadScore = state
    }

    func score(_ pod: PodInfo, _ node: NodeInfo, _ cycle: CycleState) -> Int64 {
        guard let state = cycle.spreadScore else { return 0 }
        var s = 0.0
        for (i, c) in state.constraints.enumerated() {
            let n: Int64
            if c.topologyKey == Self.hostname {
                guard node.hasHostname else { return -1 }
                n = count(pod, node, c, ownerCounts: state.ownerCounts)
            } else {
                guard let domain = node.labels[c.topologyKey] else { return -1 }
                n = state.counts[i][domain] ?? 0
            }
            s += Double(n) * state.weights[i] + Double(c.maxSkew - 1)
        }
        return Int64(s.rounded())
    }

    /// Fewer matching pods is better; a node missing a topology key (-1) scores 0.
    func normalize(_ scores: inout [Int64], _ nodes: [NodeInfo], _ cycle: CycleState) {
        guard cycle.spreadScore != nil else { return }
        let counted = scores.filter { $0 >= 0 }
        guard let top = counted.max(), let bottom = counted.min() else {
            for i in scores.indices { scores[i] = 0 }
            return
        }
        for i in scores.indices {
            if scores[i] < 0 { scores[i] = 0 } else if top == 0 { scores[i] = maxNodeScore } else {
                scores[i] = maxNodeScore * (top + bottom - scores[i]) / top
            }
        }
    }
}
