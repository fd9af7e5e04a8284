import KubeModel

/// One node as the scheduler sees it: what it offers, and what the pods bound (or assumed) to
/// it already take.
struct NodeInfo: Sendable {
    let name: String
    var labels: [String: String]
    var taints: [Taint]
    var unschedulable: Bool
    var allocatable: ResourceList
    var allowedPods: Int
    var requested = ResourceList()
    var nonZeroRequested = ResourceList()
    var pods: [String: PodInfo] = [:]
    /// Pods per controller uid, so spreading an owner's pods costs nothing per node.
    var podsByOwner: [String: Int] = [:]
    var usedPorts: [HostPort] = []

    init(_ node: JSONValue) {
        name = node.metaName
        labels = labelsOf(node)
        taints = Taint.of(node: node)
        unschedulable = node[path: ["spec", "unschedulable"]]?.boolValue ?? false
        let alloc = node[path: ["status", "allocatable"]] ?? node[path: ["status", "capacity"]]
        allocatable = ResourceList(alloc)
        allowedPods = alloc?["pods"]?.stringValue.flatMap { Int($0) } ?? alloc?["pods"]?.intValue.map { Int($0) } ?? 110
    }

    /// Takes a changed Node object, keeping the pods.
    mutating func update(_ node: JSONValue) {
        var fresh = NodeInfo(node)
        fresh.requested = requested
        fresh.nonZeroRequested = nonZeroRequested
        fresh.pods = pods
        fresh.podsByOwner = podsByOwner
        fresh.usedPorts = usedPorts
        self = fresh
    }

    mutating func add(_ pod: PodInfo) {
        guard pods.updateValue(pod, forKey: pod.key) == nil else { return }
        requested = requested + pod.requests
        nonZeroRequested = nonZeroRequested + pod.nonZeroRequests
        if let owner = pod.ownerUID { podsByOwner[owner, default: 0] += 1 }
        usedPorts += pod.hostPorts
    }

    mutating func remove(_ key: String) {
        guard let pod = pods.removeValue(forKey: key) else { return }
        requested = requested - pod.requests
        nonZeroRequested = nonZeroRequested - pod.nonZeroRequests
        if let owner = pod.ownerUID {
            podsByOwner[owner, default: 0] -= 1
            if podsByOwner[owner] == 0 { podsByOwner[owner] = nil }
        }
        for p in pod.hostPorts {
            if let i = usedPorts.firstIndex(of: p) { usedPorts.remove(at: i) }
        }
    }
}
