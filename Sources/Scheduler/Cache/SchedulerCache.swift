import KubeModel
import Synchronization

/// Nodes and the pods placed on them, kept from informer events, plus the pods the scheduler
/// has assumed (chosen a node for) but whose binding the API has not confirmed yet. A cycle
/// runs against it under its lock, so every decision sees one consistent state.
final class SchedulerCache: Sendable {
    struct State: Sendable {
        var nodes: [String: NodeInfo] = [:]
        /// Node names in a fixed order, so each cycle can start where the last one stopped.
        var order: [String] = []
        var nodeOfPod: [String: String] = [:]
        var assumed: Set<String> = []
        /// Pods with required anti-affinity terms, whose rules bind incoming pods too.
        var withAntiAffinity: [String: PodInfo] = [:]
        /// For each controller uid, its pods per node id: default spreading reads only the
        /// nodes that hold some, instead of asking every node.
        var ownerPods: [String: [Int: Int32]] = [:]
        var nodeIDs: [Int: String] = [:]
        var nextNodeID = 0
        var nextStart = 0
    }

    let state = Mutex(State())

    func addOrUpdateNode(_ node: JSONValue) {
        state.withLock { s in
            let name = node.metaName
            if s.nodes[name] != nil {
                s.nodes[name]?.update(node)
            } else {
                s.nodes[name] = NodeInfo(node, id: s.nextNodeID)
                s.nodeIDs[s.nextNodeID] = name
                s.nextNodeID += 1
                s.order.append(name)
            }
        }
    }

    func removeNode(_ name: String) {
        state.withLock { s in
            guard let gone = s.nodes.removeValue(forKey: name) else { return }
            s.nodeIDs[gone.id] = nil
            s.order.removeAll { $0 == name }
            for (pod, node) in s.nodeOfPod where node == name { s.nodeOfPod[pod] = nil }
        }
    }

    /// A pod the API says is bound (or no longer bound, when `nodeName` is empty).
    func setPod(_ pod: PodInfo) {
        state.withLock { s in
            // The binding of an assumed pod confirmed: it is already counted where it went.
            if s.assumed.contains(pod.key) && s.nodeOfPod[pod.key] == pod.nodeName {
                s.assumed.remove(pod.key)
                return
            }
            Self.unplace(&s, pod.key)
            s.assumed.remove(pod.key)
            guard !pod.nodeName.isEmpty else { return }
            Self.place(&s, pod, on: pod.nodeName)
        }
    }

    func removePod(_ key: String) {
        state.withLock { s in
            Self.unplace(&s, key)
            s.assumed.remove(key)
        }
    }

    /// Counts a pod on its chosen node before the binding is confirmed, so the next cycle
    /// sees the space it takes.
    static func assume(_ s: inout State, _ pod: PodInfo, on node: String) {
        unplace(&s, pod.key)
        place(&s, pod, on: node)
        s.assumed.insert(pod.key)
    }

    /// Undoes an assumption whose binding failed.
    func forget(_ key: String) {
        state.withLock { s in
            guard s.assumed.remove(key) != nil else { return }
            Self.unplace(&s, key)
        }
    }

    private static func place(_ s: inout State, _ pod: PodInfo, on node: String) {
        s.nodeOfPod[pod.key] = node
        guard let info = s.nodes[node] else { return }
        info.add(pod)
        if !pod.requiredAntiAffinity.isEmpty { s.withAntiAffinity[pod.key] = pod }
        if let owner = pod.ownerUID { s.ownerPods[owner, default: [:]][info.id, default: 0] += 1 }
    }

    private static func unplace(_ s: inout State, _ key: String) {
        guard let node = s.nodeOfPod.removeValue(forKey: key), let info = s.nodes[node], let pod = info.pods[key] else { return }
        info.remove(key)
        s.withAntiAffinity[key] = nil
        if let owner = pod.ownerUID, let n = s.ownerPods[owner]?[info.id] {
            s.ownerPods[owner]?[info.id] = n > 1 ? n - 1 : nil
            if s.ownerPods[owner]?.isEmpty == true { s.ownerPods[owner] = nil }
        }
    }


}
