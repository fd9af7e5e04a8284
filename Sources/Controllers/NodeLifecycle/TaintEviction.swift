import Foundation
import KubeClient
import KubeModel
import Logging

/// Taint-based eviction (the NoExecute taint manager): a pod on a node with a NoExecute taint
/// it does not tolerate is deleted at once; one it tolerates for `tolerationSeconds` is
/// deleted when that time has passed since the taint was added; a toleration without seconds
/// keeps it forever.
public final class TaintEviction: Controller {
    public let name = "taint-eviction-controller"
    public let logger: Logger
    public let queue: WorkQueue
    let client: APIClient
    let clock: any WallClock
    let nodes: Informer
    let pods: Informer
    let recorder: EventRecorder

    public init(client: APIClient, clock: any WallClock, nodes: Informer, pods: Informer, recorder: EventRecorder, logger: Logger? = nil) {
        self.logger = logger ?? Logger(label: "taint-eviction-controller")
        self.client = client
        self.clock = clock
        self.nodes = nodes
        self.pods = pods
        self.recorder = recorder
        queue = WorkQueue(clock: clock)
        pods.addHandler(Informer.Handler(onAdd: { [weak self] in self?.enqueue($0) }, onUpdate: { [weak self] in self?.enqueue($1) }))
        nodes.addHandler(Informer.Handler(
            onAdd: { [weak self] in self?.nodeChanged(nil, $0) },
            onUpdate: { [weak self] in self?.nodeChanged($0, $1) }))
    }

    static func noExecute(_ node: JSONValue?) -> [Taint] {
        node.map { Node($0).spec.taints.filter { $0.effect == "NoExecute" } } ?? []
    }

    func enqueue(_ pod: JSONValue) {
        guard !pod.isDeleting, let node = Pod(pod).spec.nodeName, !Self.noExecute(nodes.get(node)).isEmpty else { return }
        queue.add(Informer.key(pod))
    }

    func nodeChanged(_ old: JSONValue?, _ node: JSONValue) {
        let taints = Self.noExecute(node)
        guard !taints.isEmpty, Set(taints) != Set(Self.noExecute(old)) else { return }
        for pod in pods.list() where Pod(pod).spec.nodeName == node.metaName { enqueue(pod) }
    }

    /// When the pod must go: now, at a deadline, or never (nil).
    static func evictionTime(_ pod: JSONValue, _ taints: [Taint], now: Date) -> Date? {
        let tolerations = Pod(pod).spec.tolerations
        var deadline: Date?
        for t in taints {
            let matching = tolerations.filter { $0.tolerates(t) }
            if matching.isEmpty { return now }
            // The shortest tolerationSeconds among the tolerations that match counts; none
            // with seconds means forever.
            guard let seconds = matching.compactMap(\.seconds).min() else { continue }
            let added = t.timeAdded.flatMap(Timestamp.parse) ?? now
            let due = added.addingTimeInterval(TimeInterval(max(0, seconds)))
            deadline = min(deadline ?? due, due)
        }
        return deadline
    }

    public func reconcile(_ key: String) async throws {
        guard let pod = pods.get(key), !pod.isDeleting, let nodeName = Pod(pod).spec.nodeName else { return }
        let taints = Self.noExecute(nodes.get(nodeName))
        let now = clock.now()
        guard !taints.isEmpty, let due = Self.evictionTime(pod, taints, now: now) else { return }
        if due > now {
            queue.add(key, after: due.timeIntervalSince(now))
            return
        }
        recorder.event(pod, of: .pods, reason: "TaintManagerEviction", message: "Marking for deletion Pod \(key)")
        do {
            _ = try await client.call("DELETE", APIResource.pods.path(namespace: pod.metaNamespace, name: pod.metaName),
                                      body: ["apiVersion": "v1", "kind": "DeleteOptions", "preconditions": ["uid": .string(pod.uid)]])
        } catch let e as APIStatusError where e.code == 404 || e.code == 409 {}
    }
}
