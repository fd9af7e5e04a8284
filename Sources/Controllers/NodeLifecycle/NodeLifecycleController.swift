import Foundation
import KubeClient
import KubeModel
import Logging
import Synchronization

/// The node lifecycle controller (`pkg/controller/nodelifecycle`): watches each node's
/// heartbeat (its Lease in `kube-node-lease`, or its Ready condition), marks a node whose
/// kubelet has been silent for the grace period (40 s) `Ready=Unknown`, marks its pods not
/// ready, and keeps the `node.kubernetes.io/unreachable` / `not-ready` taints in step with the
/// Ready condition. The taint eviction that follows lives in `TaintEviction`.
public final class NodeLifecycleController: Controller {
    public let name = "node-lifecycle-controller"
    public let logger: Logger
    public let queue: WorkQueue
    let client: APIClient
    let clock: any WallClock
    let nodes: Informer
    let leases: Informer
    let pods: Informer
    let recorder: EventRecorder
    /// node-monitor-period and node-monitor-grace-period, as kube-controller-manager's defaults.
    public let monitorPeriod: TimeInterval = 5
    public let gracePeriod: TimeInterval = 40

    public init(client: APIClient, clock: any WallClock, nodes: Informer, leases: Informer, pods: Informer, recorder: EventRecorder, logger: Logger? = nil) {
        self.logger = logger ?? Logger(label: "node-lifecycle-controller")
        self.client = client
        self.clock = clock
        self.nodes = nodes
        self.leases = leases
        self.pods = pods
        self.recorder = recorder
        queue = WorkQueue(clock: clock)
        nodes.addHandler(Informer.Handler(onAdd: { [queue] in queue.add($0.metaName) }, onUpdate: { [queue] in queue.add($1.metaName) }))
    }

    /// Looks at every node each monitor period, as monitorNodeHealth does, until cancelled.
    public func monitor() async {
        while !Task.isCancelled {
            // The sleep throws only when cancelled, which ends the monitor.
            guard (try? await clock.sleep(for: monitorPeriod)) != nil else { return }
            for node in nodes.list() { queue.add(node.metaName) }
        }
    }

    /// The last sign of life: the Lease's renew time or the Ready condition's heartbeat.
    func lastHeartbeat(_ node: JSONValue) -> Date? {
        let lease = leases.get(namespace: "kube-node-lease", name: node.metaName).flatMap { Lease($0).spec.renewTime }
        let ready = Node(node).status.conditions[type: "Ready"]?.lastHeartbeatTime
        return [lease, ready].compactMap { $0 }.max()
    }

    public func reconcile(_ key: String) async throws {
        guard var node = nodes.get(key) else { return }
        let now = clock.now()
        if let beat = lastHeartbeat(node), now.timeIntervalSince(beat) > gracePeriod, Node(node).status.conditions[type: "Ready"]?.status != "Unknown" {
            node = try await markUnknown(node, now: now)
        } else if let beat = lastHeartbeat(node) {
            // Check again when the grace period would run out.
            queue.add(key, after: max(0.001, beat.addingTimeInterval(gracePeriod).timeIntervalSince(now) + 0.001))
        }
        try await syncTaints(node, now: now)
    }

    /// Every condition the kubelet reports goes Unknown, as when a kubelet stops posting.
    func markUnknown(_ node: JSONValue, now: Date) async throws -> JSONValue {
        var node = node
        let stamp = JSONValue.string(Timestamp.format(now))
        let conditions = Node(node).status.conditions.map { c -> JSONValue in
            var c = c.json
            c["status"] = "Unknown"
            c["reason"] = "NodeStatusUnknown"
            c["message"] = "Kubelet stopped posting node status."
            c["lastTransitionTime"] = stamp
            return c
        }
        node.set(["status", "conditions"], .array(conditions))
        let updated = try await client.update(.nodes, namespace: nil, node, subresource: "status")
        recorder.event(node, of: .nodes, reason: "NodeNotReady", message: "Node \(node.metaName) status is now: NodeNotReady")
        logger.info("Node is NotReady: kubelet stopped posting node status", metadata: ["node": "\(node.metaName)"])
        try await markPodsNotReady(node.metaName)
        return updated
    }

    /// MarkPodsNotReady: the pods of a silent node stop counting as ready (and so as
    /// available), though they stay bound until evicted.
    func markPodsNotReady(_ nodeName: String) async throws {
        let stamp = JSONValue.string(Timestamp.format(clock.now()))
        for pod in pods.list() where Pod(pod).spec.nodeName == nodeName && PodConditions.isReady(pod) {
            let patch: JSONValue = ["status": ["conditions": [["type": "Ready", "status": "False", "lastTransitionTime": stamp]]]]
            do {
                _ = try await client.patch(.pods, namespace: pod.metaNamespace, name: pod.metaName, patch, subresource: "status")
            } catch let e as APIStatusError where e.code == 404 {
                continue
            } catch {
                // As Kubernetes: logged, and the other pods are still marked.
                logger.error("Unable to mark pod NotReady", metadata: ["pod": "\(Informer.key(pod))", "node": "\(nodeName)", "err": "\(error)"])
                continue
            }
            recorder.event(pod, of: .pods, type: "Warning", reason: "NodeNotReady", message: "Node is not ready")
        }
    }

    /// The taints Kubernetes puts on a node from its Ready condition: unreachable for Unknown,
    /// not-ready for False, none for True.
    static func conditionTaints(_ node: JSONValue) -> String? {
        switch Node(node).status.conditions[type: "Ready"]?.status {
        case "Unknown": return Taint.unreachable
        case "False": return Taint.notReady
        case nil: return Taint.notReady
        default: return nil
        }
    }

    func syncTaints(_ node: JSONValue, now: Date) async throws {
        let current = Taint.of(node: node)
        let managed: Set<String> = [Taint.unreachable, Taint.notReady]
        var wanted = current.filter { !managed.contains($0.key) }
        if let key = Self.conditionTaints(node) {
            let kept = current.filter { $0.key == key }
            wanted += kept.contains { $0.effect == "NoSchedule" } ? kept.filter { $0.effect == "NoSchedule" } : [Taint(key: key, effect: "NoSchedule")]
            wanted += kept.contains { $0.effect == "NoExecute" } ? kept.filter { $0.effect == "NoExecute" }
                : [Taint(key: key, effect: "NoExecute", timeAdded: Timestamp.format(now))]
        }
        guard Set(wanted) != Set(current) else { return }
        var next = node
        next.set(["spec", "taints"], wanted.isEmpty ? nil : .array(wanted.map(\.json)))
        do {
            _ = try await client.update(.nodes, namespace: nil, next)
        } catch let e as APIStatusError where e.code == 409 {
            queue.add(node.metaName)
        }
    }
}
