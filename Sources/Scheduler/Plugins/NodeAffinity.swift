import KubeModel

/// `nodeSelector` and required node affinity filter; preferred node affinity scores the sum of
/// the weights of the terms a node matches (weight 2).
struct NodeAffinity: FilterPlugin, ScorePlugin {
    let name = "NodeAffinity"
    let weight: Int64 = 2

    static func matches(_ pod: PodInfo, _ node: NodeInfo) -> Bool {
        for (k, v) in pod.nodeSelector where node.labels[k] != v { return false }
        if let terms = pod.requiredNodeAffinity, !terms.matchesAny(name: node.name, labels: node.labels) { return false }
        return true
    }

    func filter(_ pod: PodInfo, _ node: NodeInfo, _ cycle: CycleState) -> Rejection? {
        Self.matches(pod, node) ? nil : .unresolvable("node(s) didn't match Pod's node affinity/selector")
    }

    func score(_ pod: PodInfo, _ node: NodeInfo, _ cycle: CycleState) -> Int64 {
        pod.preferredNodeAffinity.reduce(0) { sum, p in
            p.term.matches(name: node.name, labels: node.labels) ? sum + p.weight : sum
        }
    }

    func normalize(_ scores: inout [Int64], _ nodes: [NodeInfo], _ cycle: CycleState) { defaultNormalize(&scores, reverse: false) }
}
