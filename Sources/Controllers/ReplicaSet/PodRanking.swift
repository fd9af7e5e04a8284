import Foundation
import KubeModel

/// Which pods to delete first when scaling down (`ActivePodsWithRanks`): unscheduled before
/// scheduled, Pending before Unknown before Running, not ready before ready, pods doubled up on
/// a node before lone ones, ready for less time before longer, more restarts before fewer,
/// newer before older.
enum PodRanking {
    static func podsToDelete(_ pods: [JSONValue], count: Int) -> [JSONValue] {
        guard count < pods.count else { return pods }
        var perNode: [String: Int] = [:]
        for p in pods { if let n = nodeName(p) { perNode[n, default: 0] += 1 } }
        let ranked = pods.sorted { a, b in
            lessValuable(a, b, rankA: nodeName(a).map { perNode[$0] ?? 0 } ?? 0, rankB: nodeName(b).map { perNode[$0] ?? 0 } ?? 0)
        }
        return Array(ranked.prefix(count))
    }

    static func nodeName(_ p: JSONValue) -> String? {
        guard let n = Pod(p).spec.nodeName, !n.isEmpty else { return nil }
        return n
    }

    static func phaseRank(_ p: JSONValue) -> Int {
        switch PodConditions.phase(p) {
        case "Pending": return 0
        case "Unknown": return 1
        case "Running": return 2
        default: return 3
        }
    }

    static func lessValuable(_ a: JSONValue, _ b: JSONValue, rankA: Int, rankB: Int) -> Bool {
        let assignedA = nodeName(a) != nil, assignedB = nodeName(b) != nil
        if assignedA != assignedB { return !assignedA }
        if phaseRank(a) != phaseRank(b) { return phaseRank(a) < phaseRank(b) }
        let readyA = PodConditions.isReady(a), readyB = PodConditions.isReady(b)
        if readyA != readyB { return !readyA }
        if rankA != rankB { return rankA > rankB }
        if readyA && readyB, let ta = PodConditions.readySince(a), let tb = PodConditions.readySince(b), ta != tb { return ta > tb }
        if PodConditions.restarts(a) != PodConditions.restarts(b) { return PodConditions.restarts(a) > PodConditions.restarts(b) }
        let ca = a.creationTimestamp ?? .distantFuture, cb = b.creationTimestamp ?? .distantFuture
        if ca != cb { return ca > cb }
        return a.metaName > b.metaName
    }
}
