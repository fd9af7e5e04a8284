import KubeModel

/// Why a filter plugin rejected a node: the reasons that go into the FailedScheduling message,
/// and whether preemption could ever help (Kubernetes' Unschedulable versus
/// UnschedulableAndUnresolvable).
struct Rejection: Sendable, Equatable {
    let reasons: [String]
    let resolvable: Bool

    static func unresolvable(_ reason: String) -> Rejection { Rejection(reasons: [reason], resolvable: false) }
    static func resolvable(_ reasons: String...) -> Rejection { Rejection(reasons: reasons, resolvable: true) }
}

/// A filter plugin (kube-scheduler's Filter extension point): may this pod run on this node?
/// `prepare` runs once per cycle over the whole cluster (PreFilter) and keeps what `filter`
/// needs in the cycle state.
protocol FilterPlugin: Sendable {
    var name: String { get }
    func prepare(_ pod: PodInfo, _ cluster: SchedulerCache.State, _ cycle: inout CycleState)
    func filter(_ pod: PodInfo, _ node: NodeInfo, _ cycle: CycleState) -> Rejection?
}

/// A score plugin: how good is each feasible node, 0…100 after `normalize`, weighted by
/// `weight` in the sum.
protocol ScorePlugin: Sendable {
    var name: String { get }
    var weight: Int64 { get }
    func prepareScore(_ pod: PodInfo, _ feasible: [NodeInfo], _ cluster: SchedulerCache.State, _ cycle: inout CycleState)
    func score(_ pod: PodInfo, _ node: NodeInfo, _ cycle: CycleState) -> Int64
    func normalize(_ scores: inout [Int64], _ nodes: [NodeInfo], _ cycle: CycleState)
}

extension FilterPlugin {
    func prepare(_ pod: PodInfo, _ cluster: SchedulerCache.State, _ cycle: inout CycleState) {}
}

extension ScorePlugin {
    func prepareScore(_ pod: PodInfo, _ feasible: [NodeInfo], _ cluster: SchedulerCache.State, _ cycle: inout CycleState) {}
    func normalize(_ scores: inout [Int64], _ nodes: [NodeInfo], _ cycle: CycleState) {}
}

/// What the plugins computed for the pod being scheduled, shared between its phases.
struct CycleState: Sendable {
    var spread: PodTopologySpread.FilterState?
    var spreadScore: PodTopologySpread.ScoreState?
    var affinity: InterPodAffinity.FilterState?
    var affinityScore: InterPodAffinity.ScoreState?
}

/// Scores are 0…100, as kube-scheduler's MaxNodeScore.
let maxNodeScore: Int64 = 100

/// Scales raw scores to 0…100 by the largest (reversed: the largest becomes 0), as the
/// framework's DefaultNormalizeScore.
func defaultNormalize(_ scores: inout [Int64], reverse: Bool) {
    let top = scores.max() ?? 0
    if top == 0 {
        if reverse { for i in scores.indices { scores[i] = maxNodeScore } }
        return
    }
    for i in scores.indices {
        let s = maxNodeScore * scores[i] / top
        scores[i] = reverse ? maxNodeScore - s : s
    }
}
