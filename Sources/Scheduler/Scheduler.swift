import Foundation
import KubeClient
import KubeModel
import Logging
import Synchronization

/// kube-scheduler in small: watches pods and nodes, takes unscheduled pods from its queue one at
/// a time, finds the best node with the default plugins, and binds through `pods/binding`
/// (bindings run concurrently; the next cycle does not wait for them). A pod that fits nowhere
/// gets `PodScheduled=False` and a FailedScheduling event, and waits for the cluster to change.
public final class Scheduler: Sendable {
    public static let name = "default-scheduler"

    let client: APIClient
    let clock: any WallClock
    public let pods: Informer
    public let nodes: Informer
    let cache = SchedulerCache()
    let queue: SchedulingQueue
    let framework = Framework.default
    let recorder: EventRecorder
    private let binding = Mutex(0)
    private let scheduledCount = Mutex(0)
    let logger: Logger

    public init(client api: APIClient, clock: any WallClock, pods: Informer, nodes: Informer, logger: Logger = Logger(label: "scheduler")) {
        let client = api.identified(as: UserAgent.scheduler)
        self.logger = logger
        self.client = client
        self.clock = clock
        self.pods = pods
        self.nodes = nodes
        queue = SchedulingQueue(clock: clock)
        recorder = EventRecorder(client: client, component: Self.name, clock: clock, logger: logger)
        pods.addHandler(Informer.Handler(
            onAdd: { [weak self] in self?.podChanged(nil, $0) },
            onUpdate: { [weak self] in self?.podChanged($0, $1) },
            onDelete: { [weak self] in self?.podDeleted($0) }))
        nodes.addHandler(Informer.Handler(
            onAdd: { [weak self] in self?.nodeChanged($0) },
            onUpdate: { [weak self] in self?.nodeChanged($1) },
            onDelete: { [weak self] node in
                self?.cache.removeNode(node.metaName)
            }))
    }

    static func assigned(_ pod: JSONValue) -> Bool { Pod(pod).spec.isBound }

    /// Whether this scheduler should place the pod: unbound, not being deleted, and asking for
    /// the default scheduler.
    static func wantsScheduling(_ pod: JSONValue) -> Bool {
        !assigned(pod) && !pod.isDeleting && (Pod(pod).spec.schedulerName ?? name) == name
    }

    static func finished(_ pod: JSONValue) -> Bool {
        let phase = Pod(pod).status.phase
        return phase == "Succeeded" || phase == "Failed"
    }

    /// Same spec and labels: nothing the scheduler counts or filters on changed.
    static func sameRequest(_ a: JSONValue, _ b: JSONValue) -> Bool {
        Pod(a).spec.json == Pod(b).spec.json && Pod(a).metadata.labelsValue == Pod(b).metadata.labelsValue
    }

    func podChanged(_ old: JSONValue?, _ pod: JSONValue) {
        let key = Informer.key(pod)
        let priority = Pod(pod).spec.priority ?? 0
        if Self.assigned(pod) {
            // Status reports (the kubelet's) change nothing the scheduler counts.
            if let old, Self.assigned(old), !Self.finished(pod), Self.sameRequest(old, pod) { return }
            queue.done(key)
            // A finished pod frees its node's resources, as a deleted one does.
            if Self.finished(pod) {
                cache.removePod(key)
                queue.clusterChanged()
            } else {
                cache.setPod(PodInfo(pod))
            }
        } else if Self.wantsScheduling(pod) {
            queue.add(key, priority: priority)
            // Only a change of what the pod asks for may make it fit; status writes (our own
            // PodScheduled=False among them) do not.
            if let old, !Self.sameRequest(old, pod) {
                queue.update(key, priority: priority)
            }
        } else {
            queue.done(key)
        }
    }

    func podDeleted(_ pod: JSONValue) {
        let key = Informer.key(pod)
        queue.done(key)
        if Self.assigned(pod) {
            cache.removePod(key)
            queue.clusterChanged()
        }
    }

    func nodeChanged(_ node: JSONValue) {
        cache.addOrUpdateNode(node)
        queue.clusterChanged()
    }

    /// Schedules until cancelled. The informers must be running (they may be shared).
    public func run() async {
        await pods.waitForSync()
        await nodes.waitForSync()
        logger.info("Starting scheduler")
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.queue.runFlushes() }
            await withTaskCancellationHandler {
                while let key = await queue.pop() { await scheduleOne(key) }
            } onCancel: {
                queue.shutDown()
            }
            group.cancelAll()
        }
    }

    /// One cycle: decide under the cache's lock, then bind in the background.
    func scheduleOne(_ key: String) async {
        guard let pod = pods.get(key), Self.wantsScheduling(pod) else {
            queue.done(key)
            return
        }
        let info = PodInfo(pod)
        let outcome = cache.state.withLock { s -> Framework.Outcome in
            let outcome = framework.schedule(info, &s)
            if case .scheduled(let node, _) = outcome { SchedulerCache.assume(&s, info, on: node) }
            return outcome
        }
        switch outcome {
        case .scheduled(let node, _):
            logger.trace("Attempting to schedule pod", metadata: ["pod": "\(key)", "node": "\(node)"])
            binding.withLock { $0 += 1 }
            Task { await self.bind(pod, info, node) }
        case .unschedulable(let error):
            queue.unschedulable(key)
            await reportUnschedulable(pod, error.message)
        }
    }

    func bind(_ pod: JSONValue, _ info: PodInfo, _ node: String) async {
        defer { binding.withLock { $0 -= 1 } }
        let body: JSONValue = ["apiVersion": "v1", "kind": "Binding",
                               "metadata": ["name": .string(info.name), "namespace": .string(info.namespace), "uid": .string(info.uid)],
                               "target": ["apiVersion": "v1", "kind": "Node", "name": .string(node)]]
        do {
            _ = try await client.call("POST", APIResource.pods.path(namespace: info.namespace, name: info.name, subresource: "binding"), body: body)
            queue.done(info.key)
            scheduledCount.withLock { $0 += 1 }
            recorder.event(pod, of: .pods, reason: "Scheduled", message: "Successfully assigned \(info.namespace)/\(info.name) to \(node)")
            // One line per pod, so at -v 2 as kube-scheduler's V(2) (a default line would flood
            // a large rollout's terminal and the scheduler's throughput).
            logger.debug("Successfully bound pod to node", metadata: ["pod": "\(info.key)", "node": "\(node)"])
        } catch let e as APIStatusError where e.code == 404 || e.code == 409 {
            // Gone, or bound by someone else: nothing to retry.
            logger.debug("Pod gone or bound elsewhere; not retrying", metadata: ["pod": "\(info.key)", "node": "\(node)", "err": "\(e)"])
            cache.forget(info.key)
            queue.done(info.key)
        } catch {
            logger.error("Failed to bind pod; retrying", metadata: ["pod": "\(info.key)", "node": "\(node)", "err": "\(error)"])
            cache.forget(info.key)
            queue.retry(info.key)
        }
    }

    /// Sets `PodScheduled=False` (when it changed) and records FailedScheduling.
    func reportUnschedulable(_ pod: JSONValue, _ message: String) async {
        logger.info("Unable to schedule pod; no fit; waiting", metadata: ["pod": "\(Informer.key(pod))", "err": "\(message)"])
        recorder.event(pod, of: .pods, type: "Warning", reason: "FailedScheduling", message: message)
        let current = Pod(pod).status.conditions[type: "PodScheduled"]
        guard current?.status != "False" || current?.message != message else { return }
        let condition: JSONValue = ["type": "PodScheduled", "status": "False", "reason": "Unschedulable", "message": .string(message),
                                    "lastProbeTime": .null, "lastTransitionTime": .string(Timestamp.format(clock.now()))]
        do {
            _ = try await client.patch(.pods, namespace: pod.metaNamespace, name: pod.metaName,
                                       ["status": ["conditions": [condition]]], subresource: "status")
        } catch let e as APIStatusError where e.code == 404 {
            return  // The pod is gone: nothing to report on.
        } catch {
            // The event above still tells the user; the next attempt writes the condition again.
            logger.error("Error updating pod condition", metadata: ["pod": "\(Informer.key(pod))", "err": "\(error)"])
        }
    }

    /// Pods this scheduler has bound since it started.
    public var scheduled: Int { scheduledCount.withLock { $0 } }

    /// No pod waits in the active queue and no binding is in flight (unschedulable pods wait
    /// for a change, so they do not count).
    public var isIdle: Bool { queue.counts.active == 0 && binding.withLock { $0 } == 0 }
}
