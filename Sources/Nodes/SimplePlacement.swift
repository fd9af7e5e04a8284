import Foundation
import KubeClient
import KubeModel
import Synchronization

/// Binds pending pods to the simulated node with the fewest pods, through `pods/binding`.
/// A stand-in until the scheduler issue brings filters and scores.
public final class SimplePlacement: Controller {
    public let name = "simple-placement"
    public let queue: WorkQueue
    let client: APIClient
    let pods: Informer
    let nodes: [String]
    let recorder: EventRecorder
    /// Pod keys per node, kept from informer events so a placement is O(nodes).
    private let podsOnNode = Mutex<[String: Set<String>]>([:])

    public init(client: APIClient, clock: any WallClock, pods: Informer, nodes: [String]) {
        self.client = client
        self.pods = pods
        self.nodes = nodes
        queue = WorkQueue(clock: clock)
        recorder = EventRecorder(client: client, component: "default-scheduler", clock: clock)
        pods.addHandler(Informer.Handler(
            onAdd: { [weak self] in self?.observe(nil, $0) },
            onUpdate: { [weak self] in self?.observe($0, $1) },
            onDelete: { [weak self] in self?.observe($0, nil) }))
    }

    static func wantsPlacement(_ pod: JSONValue) -> Bool {
        let node = pod[path: ["spec", "nodeName"]]?.stringValue ?? ""
        let scheduler = pod[path: ["spec", "schedulerName"]]?.stringValue ?? "default-scheduler"
        return node.isEmpty && !pod.isDeleting && scheduler == "default-scheduler"
    }

    func observe(_ old: JSONValue?, _ new: JSONValue?) {
        podsOnNode.withLock { m in
            if let old, let n = old[path: ["spec", "nodeName"]]?.stringValue { m[n]?.remove(Informer.key(old)) }
            if let new, let n = new[path: ["spec", "nodeName"]]?.stringValue, !n.isEmpty { m[n, default: []].insert(Informer.key(new)) }
        }
        if let new, Self.wantsPlacement(new) { queue.add(Informer.key(new)) }
    }

    public func reconcile(_ key: String) async throws {
        guard let pod = pods.get(key), Self.wantsPlacement(pod) else { return }
        let node = podsOnNode.withLock { m in nodes.min { (m[$0]?.count ?? 0, $0) < (m[$1]?.count ?? 0, $1) } }
        guard let node else { return }
        // Count it at once so a burst of pods spreads instead of piling on one node.
        podsOnNode.withLock { _ = $0[node, default: []].insert(key) }
        let binding: JSONValue = ["apiVersion": "v1", "kind": "Binding", "metadata": ["name": .string(pod.metaName)],
                                  "target": ["apiVersion": "v1", "kind": "Node", "name": .string(node)]]
        do {
            _ = try await client.call("POST", APIResource.pods.path(namespace: pod.metaNamespace, name: pod.metaName, subresource: "binding"), body: binding)
            recorder.event(pod, of: .pods, reason: "Scheduled", message: "Successfully assigned \(pod.metaNamespace)/\(pod.metaName) to \(node)")
        } catch let e as APIStatusError where e.code == 404 || e.code == 409 {
            podsOnNode.withLock { _ = $0[node]?.remove(key) }
        }
    }
}
