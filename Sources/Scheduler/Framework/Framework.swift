import Foundation
import KubeModel

/// One scheduling cycle, as kube-scheduler's schedulePod: filter nodes (stopping once enough
/// feasible ones are found on big clusters), score the feasible ones, and pick the best, ties
/// broken at random (by `FastRandom`: the system generator made a `getrandom` call per tie,
/// about 5% of a scheduling profile).
struct Framework: Sendable {
    let filters: [any FilterPlugin]
    let scorers: [any ScorePlugin]

    /// kube-scheduler's default profile, in its order.
    static let `default`: Framework = {
        let fit = NodeResourcesFit(), taints = TaintToleration(), affinity = NodeAffinity()
        let spread = PodTopologySpread(), podAffinity = InterPodAffinity()
        return Framework(
            filters: [NodeUnschedulable(), NodeName(), taints, affinity, NodePorts(), fit, spread, podAffinity],
            scorers: [taints, affinity, fit, spread, podAffinity, BalancedAllocation()])
    }()

    enum Outcome: Sendable, Equatable {
        case scheduled(node: String, feasible: Int)
        case unschedulable(FitError)
    }

    /// How many feasible nodes to find before scoring (percentageOfNodesToScore's adaptive
    /// default): all of a small cluster, at least 100, about 42% of 1,000 nodes.
    static func feasibleToFind(_ total: Int) -> Int {
        if total < 100 { return total }
        let percentage = max(5, 50 - total / 125)
        return max(100, total * percentage / 100)
    }

    func schedule(_ pod: PodInfo, _ cluster: inout SchedulerCache.State, random: () -> Int = { Int(truncatingIfNeeded: FastRandom.next() >> 1) }) -> Outcome {
        let total = cluster.order.count
        guard total > 0 else { return .unschedulable(FitError(nodeCount: 0, rejections: [], preemptionNever: false)) }
        var cycle = CycleState()
        for f in filters { f.prepare(pod, cluster, &cycle) }

        let want = Self.feasibleToFind(total)
        var feasible: [NodeInfo] = []
        var rejections: [Rejection] = []
        var visited = 0
        let start = cluster.nextStart % total
        while visited < total && feasible.count < want {
            let name = cluster.order[(start + visited) % total]
            visited += 1
            guard let node = cluster.nodes[name] else { continue }
            if let r = firstRejection(pod, node, cycle) { rejections.append(r) } else { feasible.append(node) }
        }
        cluster.nextStart = (start + visited) % total
        guard !feasible.isEmpty else {
            return .unschedulable(FitError(nodeCount: total, rejections: rejections, preemptionNever: pod.preemptionNever))
        }
        if feasible.count == 1 { return .scheduled(node: feasible[0].name, feasible: 1) }
        return .scheduled(node: best(pod, feasible, cluster, &cycle, random: random), feasible: feasible.count)
    }

    func firstRejection(_ pod: PodInfo, _ node: NodeInfo, _ cycle: CycleState) -> Rejection? {
        for f in filters { if let r = f.filter(pod, node, cycle) { return r } }
        return nil
    }

    /// The weighted sum of every score plugin's normalized scores; the highest wins.
    func best(_ pod: PodInfo, _ feasible: [NodeInfo], _ cluster: SchedulerCache.State, _ cycle: inout CycleState, random: () -> Int) -> String {
        var totals = [Int64](repeating: 0, count: feasible.count)
        for s in scorers { s.prepareScore(pod, feasible, cluster, &cycle) }
        for s in scorers {
            var scores = feasible.map { s.score(pod, $0, cycle) }
            s.normalize(&scores, feasible, cycle)
            for i in totals.indices { totals[i] += scores[i] * s.weight }
        }
        // Reservoir sampling among the ties, as selectHost does.
        var bestIndex = 0, ties = 1
        for i in 1..<totals.count {
            if totals[i] > totals[bestIndex] {
                bestIndex = i
                ties = 1
            } else if totals[i] == totals[bestIndex] {
                ties += 1
                if random() % ties == 0 { bestIndex = i }
            }
        }
        return feasible[bestIndex].name
    }
}
