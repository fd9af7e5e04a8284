import KubeModel

/// Cordoned nodes (`spec.unschedulable`) take no new pods, unless the pod tolerates the
/// `node.kubernetes.io/unschedulable:NoSchedule` taint (as DaemonSet pods do).
struct NodeUnschedulable: FilterPlugin {
    let name = "NodeUnschedulable"
    static let taint = Taint(key: Taint.unschedulable, effect: "NoSchedule")

    func filter(_ pod: PodInfo, _ node: NodeInfo, _ cycle: CycleState) -> Rejection? {
        guard node.unschedulable, !pod.tolerations.tolerate(Self.taint) else { return nil }
        return .unresolvable("node(s) were unschedulable")
    }
}

/// A pod that names its node (`spec.nodeName`) fits only there.
struct NodeName: FilterPlugin {
    let name = "NodeName"

    func filter(_ pod: PodInfo, _ node: NodeInfo, _ cycle: CycleState) -> Rejection? {
        guard !pod.nodeName.isEmpty, pod.nodeName != node.name else { return nil }
        return .unresolvable("node(s) didn't match the requested node name")
    }
}

/// Two pods cannot take the same host port on one node.
struct NodePorts: FilterPlugin {
    let name = "NodePorts"

    func filter(_ pod: PodInfo, _ node: NodeInfo, _ cycle: CycleState) -> Rejection? {
        for want in pod.hostPorts where node.usedPorts.contains(where: { $0.conflicts(want) }) {
            return .resolvable("node(s) didn't have free ports for the requested pod ports")
        }
        return nil
    }
}
