import KubeModel

/// Pod affinity and anti-affinity. Required terms filter: the pod must land in a domain
/// (`topologyKey` value) that holds a pod matching each affinity term and none matching an
/// anti-affinity term, and must not break the required anti-affinity of pods already placed.
/// Preferred terms score (weight 2).
struct InterPodAffinity: FilterPlugin, ScorePlugin {
    let name = "InterPodAffinity"
    let weight: Int64 = 2

    struct FilterState: Sendable {
        /// Domains (`key=value`) holding a pod that matches each required affinity term.
        var affinityDomains: [Set<String>] = []
        /// Domains holding a pod that matches one of the pod's required anti-affinity terms.
        var antiAffinityDomains: Set<String> = []
        /// Domains holding a placed pod whose required anti-affinity matches this pod.
        var existingAntiAffinityDomains: Set<String> = []
        /// No pod anywhere matches the affinity terms, and the pod matches them itself: the
        /// first pod of a group may go anywhere.
        var firstOfItsKind = false
    }

    static func domain(_ key: String, _ node: NodeInfo?) -> String? {
        node?.labels[key].map { "\(key)=\($0)" }
    }

    func prepare(_ pod: PodInfo, _ cluster: SchedulerCache.State, _ cycle: inout CycleState) {
        var state = FilterState(affinityDomains: Array(repeating: [], count: pod.requiredAffinity.count))
        for other in cluster.withAntiAffinity.values where other.key != pod.key {
            let node = cluster.nodeOfPod[other.key].flatMap { cluster.nodes[$0] }
            for term in other.requiredAntiAffinity where term.matches(pod) {
                if let d = Self.domain(term.topologyKey, node) { state.existingAntiAffinityDomains.insert(d) }
            }
        }
        if !pod.requiredAffinity.isEmpty || !pod.requiredAntiAffinity.isEmpty {
            for node in cluster.nodes.values {
                for other in node.pods.values where other.key != pod.key {
                    for (i, term) in pod.requiredAffinity.enumerated() where term.matches(other) {
                        if let d = Self.domain(term.topologyKey, node) { state.affinityDomains[i].insert(d) }
                    }
                    for term in pod.requiredAntiAffinity where term.matches(other) {
                        if let d = Self.domain(term.topologyKey, node) { state.antiAffinityDomains.insert(d) }
                    }
                }
            }
            state.firstOfItsKind = !pod.requiredAffinity.isEmpty && state.affinityDomains.allSatisfy(\.isEmpty)
                && pod.requiredAffinity.allSatisfy { $0.matches(pod) }
        } else if state.existingAntiAffinityDomains.isEmpty {
            return
        }
        cycle.affinity = state
    }

    /// In kube-scheduler's order: the pod's affinity, its anti-affinity, then the placed pods'
    /// anti-affinity.
    func filter(_ pod: PodInfo, _ node: NodeInfo, _ cycle: CycleState) -> Rejection? {
        guard let state = cycle.affinity else { return nil }
        for (i, term) in pod.requiredAffinity.enumerated() {
            guard let d = Self.domain(term.topologyKey, node) else {
                return .unresolvable("node(s) didn't match pod affinity rules")
            }
            if !state.firstOfItsKind && !state.affinityDomains[i].contains(d) {
                return .unresolvable("node(s) didn't match pod affinity rules")
            }
        }
        for term in pod.requiredAntiAffinity {
            if let d = Self.domain(term.topologyKey, node), state.antiAffinityDomains.contains(d) {
                return .resolvable("node(s) didn't match pod anti-affinity rules")
            }
        }
        if !state.existingAntiAffinityDomains.isEmpty {
            for (k, v) in node.labels where state.existingAntiAffinityDomains.contains("\(k)=\(v)") {
                return .resolvable("node(s) didn't satisfy existing pods anti-affinity rules")
            }
        }
        return nil
    }

    // MARK: scoring

    struct ScoreState: Sendable {
        /// The summed weights of matching preferred terms, per domain.
        var weights: [String: Int64] = [:]
        var keys: Set<String> = []
    }

    func prepareScore(_ pod: PodInfo, _ feasible: [NodeInfo], _ cluster: SchedulerCache.State, _ cycle: inout CycleState) {
        let terms = pod.preferredAffinity.map { ($0.weight, $0.term) } + pod.preferredAntiAffinity.map { (-$0.weight, $0.term) }
        guard !terms.isEmpty else { return }
        var state = ScoreState()
        for node in cluster.nodes.values {
            for other in node.pods.values where other.key != pod.key {
                for (w, term) in terms where term.matches(other) {
                    if let d = Self.domain(term.topologyKey, node) {
                        state.weights[d, default: 0] += w
                        state.keys.insert(term.topologyKey)
                    }
                }
            }
        }
        cycle.affinityScore = state
    }

    func score(_ pod: PodInfo, _ node: NodeInfo, _ cycle: CycleState) -> Int64 {
        guard let state = cycle.affinityScore else { return 0 }
        return state.keys.reduce(0) { sum, key in sum + (Self.domain(key, node).flatMap { state.weights[$0] } ?? 0) }
    }

    /// Min-max scaling to 0…100 (scores may be negative from anti-affinity).
    func normalize(_ scores: inout [Int64], _ nodes: [NodeInfo], _ cycle: CycleState) {
        guard cycle.affinityScore != nil, let top = scores.max(), let bottom = scores.min() else { return }
        for i in scores.indices { scores[i] = top == bottom ? 0 : maxNodeScore * (scores[i] - bottom) / (top - bottom) }
    }
}
