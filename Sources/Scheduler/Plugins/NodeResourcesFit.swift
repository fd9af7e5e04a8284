import KubeModel

/// A node must have room for the pod's requests (cpu, memory, ephemeral storage, extended
/// resources) and a free pod slot. Scoring is LeastAllocated (weight 1): the emptier the node
/// after placing the pod, the better, so pods spread by load.
struct NodeResourcesFit: FilterPlugin, ScorePlugin {
    let name = "NodeResourcesFit"
    let weight: Int64 = 1

    func filter(_ pod: PodInfo, _ node: NodeInfo, _ cycle: CycleState) -> Rejection? {
        // The common case, checked field by field without copying the lists or building the
        // reasons.
        if node.pods.count < node.allowedPods && node.requested.milliCPU.addingSaturated(pod.requests.milliCPU) <= node.allocatable.milliCPU
            && node.requested.memory.addingSaturated(pod.requests.memory) <= node.allocatable.memory
            && node.requested.ephemeralStorage.addingSaturated(pod.requests.ephemeralStorage) <= node.allocatable.ephemeralStorage
            && pod.requests.scalar.isEmpty { return nil }
        let r = pod.requests, used = node.requested, alloc = node.allocatable
        var reasons: [String] = []
        if node.pods.count + 1 > node.allowedPods { reasons.append("Too many pods") }
        // Sums saturate: a request of `1e20` cpu must fail to fit, not trap.
        if r.milliCPU > 0 && used.milliCPU.addingSaturated(r.milliCPU) > alloc.milliCPU { reasons.append("Insufficient cpu") }
        if r.memory > 0 && used.memory.addingSaturated(r.memory) > alloc.memory { reasons.append("Insufficient memory") }
        if r.ephemeralStorage > 0 && used.ephemeralStorage.addingSaturated(r.ephemeralStorage) > alloc.ephemeralStorage {
            reasons.append("Insufficient ephemeral-storage")
        }
        for (name, want) in r.scalar.sorted(by: { $0.key < $1.key }) where want > 0 {
            if (used.scalar[name] ?? 0).addingSaturated(want) > (alloc.scalar[name] ?? 0) { reasons.append("Insufficient \(name)") }
        }
        return reasons.isEmpty ? nil : Rejection(reasons: reasons, resolvable: true)
    }

    func score(_ pod: PodInfo, _ node: NodeInfo, _ cycle: CycleState) -> Int64 {
        func free(_ requested: Int64, _ allocatable: Int64) -> Int64 {
            guard allocatable > 0, requested <= allocatable else { return 0 }
            // In 128 bits: allocatable comes from a Node's status, which may be huge.
            return Int64(Int128(allocatable - requested) * Int128(maxNodeScore) / Int128(allocatable))
        }
        let want = node.nonZeroRequested + pod.nonZeroRequests
        return (free(want.milliCPU, node.allocatable.milliCPU) + free(want.memory, node.allocatable.memory)) / 2
    }
}

/// BalancedAllocation (weight 1): prefers nodes where cpu and memory would be used in equal
/// shares, so neither runs out while the other idles.
struct BalancedAllocation: ScorePlugin {
    let name = "NodeResourcesBalancedAllocation"
    let weight: Int64 = 1

    func score(_ pod: PodInfo, _ node: NodeInfo, _ cycle: CycleState) -> Int64 {
        func fraction(_ requested: Int64, _ allocatable: Int64) -> Double {
            allocatable > 0 ? min(1, Double(requested) / Double(allocatable)) : 1
        }
        let want = node.requested + pod.requests
        let cpu = fraction(want.milliCPU, node.allocatable.milliCPU), memory = fraction(want.memory, node.allocatable.memory)
        // The standard deviation of two fractions is half their distance.
        let std = abs(cpu - memory) / 2
        return Int64((1 - std) * Double(maxNodeScore))
    }
}
