import KubeModel

/// Taints keep pods away unless tolerated: NoSchedule and NoExecute taints filter,
/// PreferNoSchedule taints lower the score (weight 3).
struct TaintToleration: FilterPlugin, ScorePlugin {
    let name = "TaintToleration"
    let weight: Int64 = 3

    func filter(_ pod: PodInfo, _ node: NodeInfo, _ cycle: CycleState) -> Rejection? {
        for t in node.taints where t.effect == "NoSchedule" || t.effect == "NoExecute" {
            if !pod.tolerations.tolerate(t) {
                return .unresolvable("node(s) had untolerated taint {\(t.key): \(t.value)}")
            }
        }
        return nil
    }

    /// How many PreferNoSchedule taints the pod does not tolerate; fewer is better.
    func score(_ pod: PodInfo, _ node: NodeInfo, _ cycle: CycleState) -> Int64 {
        guard !node.taints.isEmpty else { return 0 }
        let tolerations = pod.tolerations.filter { $0.effect.isEmpty || $0.effect == "PreferNoSchedule" }
        return Int64(node.taints.filter { $0.effect == "PreferNoSchedule" && !tolerations.tolerate($0) }.count)
    }

    func normalize(_ scores: inout [Int64], _ nodes: [NodeInfo], _ cycle: CycleState) { defaultNormalize(&scores, reverse: true) }
}
