import KubeModel

/// One node as the scheduler sees it: what it offers, and what the pods bound (or assumed) to
/// it already take. A class, so that a cycle's list of feasible nodes costs a reference each
/// rather than a copy of every pod map.
// Safety: a NodeInfo is only reached through SchedulerCache.State, and mutated or read only
// while that state's mutex is held (informer updates and scheduling cycles alike).
final class NodeInfo: @unchecked Sendable {
    let name: String
    /// A number the cache gives each node, for per-cycle arrays indexed by node.
    let id: Int
    private(set) var labels: [String: String]
    /// Whether the node carries `kubernetes.io/hostname`, the topology key of most rules.
    private(set) var hasHostname: Bool
    private(set) var taints: [Taint]
    private(set) var unschedulable: Bool
    private(set) var allocatable: ResourceList
    private(set) var allowedPods: Int
    private(set) var requested = ResourceList()
    private(set) var nonZeroRequested = ResourceList()
    private(set) var pods: [String: PodInfo] = [:]
    private(set) var usedPorts: [HostPort] = []

    init(_ node: JSONValue, id: Int = 0) {
        name = node.metaName
        self.id = id
        labels = labelsOf(node)
        hasHostname = labels["kubernetes.io/hostname"] != nil
        let node = Node(node)
        taints = node.spec.taints
        unschedulable = node.spec.unschedulable
        let alloc = node.status.allocatable ?? node.status.capacity
        allocatable = alloc?.list ?? ResourceList()
        allowedPods = alloc?[name: "pods"].map { Int(Int64(clampingValue: $0.value)) } ?? 110
    }

    /// Takes a changed Node object, keeping the pods.
    func update(_ node: JSONValue) {
        let fresh = NodeInfo(node)
        labels = fresh.labels
        hasHostname = fresh.hasHostname
        taints = fresh.taints
        unschedulable = fresh.unschedulable
        allocatable = fresh.allocatable
        allowedPods = fresh.allowedPods
    }

    func add(_ pod: PodInfo) {
        guard pods.updateValue(pod, forKey: pod.key) == nil else { return }
        requested = requested + pod.requests
        nonZeroRequested = nonZeroRequested + pod.nonZeroRequests
        usedPorts += pod.hostPorts
    }

    func remove(_ key: String) {
        guard let pod = pods.removeValue(forKey: key) else { return }
        requested = requested - pod.requests
        nonZeroRequested = nonZeroRequested - pod.nonZeroRequests
        for p in pod.hostPorts {
            if let i = usedPorts.firstIndex(of: p) { usedPorts.remove(at: i) }
        }
    }
}
