/// Why a pod fits no node, worded as kube-scheduler words it (FitError.Error()): a count per
/// reason over all nodes, sorted, then what preemption found.
struct FitError: Error, Sendable, Equatable {
    let nodeCount: Int
    /// Every node's rejection.
    let rejections: [Rejection]
    let preemptionNever: Bool

    var message: String {
        if nodeCount == 0 { return "no nodes available to schedule pods" }
        var histogram: [String: Int] = [:]
        for r in rejections { for reason in r.reasons { histogram[reason, default: 0] += 1 } }
        var text = "0/\(nodeCount) nodes are available: " + Self.sorted(histogram) + "."
        if preemptionNever {
            text += " preemption: not eligible due to preemptionPolicy=Never."
        } else {
            // No priority classes are in play, so no node holds pods worth preempting: a node
            // that failed on resources finds no victims, and preemption cannot fix the others.
            var after: [String: Int] = [:]
            for r in rejections {
                after[r.resolvable ? "No preemption victims found for incoming pod" : "Preemption is not helpful for scheduling", default: 0] += 1
            }
            text += " preemption: 0/\(nodeCount) nodes are available: " + Self.sorted(after) + "."
        }
        return text
    }

    static func sorted(_ histogram: [String: Int]) -> String {
        histogram.map { "\($0.value) \($0.key)" }.sorted().joined(separator: ", ")
    }
}
