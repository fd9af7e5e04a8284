import Foundation
import KubeClient
import KubeModel
import Logging

/// Keeps the number of pods of each ReplicaSet at `spec.replicas` (`pkg/controller/replicaset`):
/// creates pods from the template in slow-start batches, deletes the least valuable first,
/// adopts matching orphans, releases pods whose labels stopped matching, and reports status.
public final class ReplicaSetController: Controller {
    public let name = "replicaset-controller"
    public let logger: Logger
    public let queue: WorkQueue
    let client: APIClient
    let clock: any WallClock
    let replicaSets: Informer
    let pods: Informer
    let recorder: EventRecorder
    let expectations: Expectations
    /// At most this many pods are created or deleted in one sync, as kube-controller-manager's burst.
    static let burstReplicas = 500

    public init(client: APIClient, clock: any WallClock, replicaSets: Informer, pods: Informer, recorder: EventRecorder, logger: Logger? = nil) {
        self.logger = logger ?? Logger(label: "replicaset-controller")
        self.client = client
        self.clock = clock
        self.replicaSets = replicaSets
        self.pods = pods
        self.recorder = recorder
        self.queue = WorkQueue(clock: clock)
        self.expectations = Expectations(clock: clock)
        replicaSets.addHandler(Informer.Handler(
            onAdd: { [queue] in queue.add(Informer.key($0)) },
            onUpdate: { [queue] _, new in queue.add(Informer.key(new)) },
            onDelete: { [queue, expectations] in
                expectations.forget(Informer.key($0))
                queue.add(Informer.key($0))
            }))
        pods.addHandler(Informer.Handler(
            onAdd: { [weak self] in self?.podAdded($0) },
            onUpdate: { [weak self] in self?.podUpdated($0, $1) },
            onDelete: { [weak self] in self?.podDeleted($0) }))
    }

    // MARK: - Event handlers

    /// The ReplicaSet a pod's controller reference names, if it is one we know.
    func owner(of pod: JSONValue) -> String? {
        guard let ref = Pod(pod).metadata.controllerRef, ref.kind == "ReplicaSet", !ref.name.isEmpty else { return nil }
        let key = pod.metaNamespace + "/" + ref.name
        guard let rs = replicaSets.get(key), rs.uid == ref.uid else { return nil }
        return key
    }

    /// ReplicaSets whose selector matches an orphan pod: each may adopt it.
    func selecting(_ pod: JSONValue) -> [String] {
        replicaSets.list(namespace: pod.metaNamespace).filter { rs in
            // An invalid selector adopts nothing; its own sync reports the error.
            guard let sel = try? LabelSelector.from(ReplicaSet(rs).spec.selector), !sel.isEmpty else { return false }
            return sel.matches(object: pod)
        }.map(Informer.key)
    }

    func podAdded(_ pod: JSONValue) {
        if pod.isDeleting { return podDeleted(pod) }
        if let key = owner(of: pod) {
            expectations.creationObserved(key)
            queue.add(key)
        } else if pod.controllerRef == nil {
            for key in selecting(pod) { queue.add(key) }
        }
    }

    func podUpdated(_ old: JSONValue, _ new: JSONValue) {
        if new.isDeleting && !old.isDeleting { return podDeleted(new) }
        let oldOwner = owner(of: old), newOwner = owner(of: new)
        if let oldOwner, oldOwner != newOwner { queue.add(oldOwner) }
        if let newOwner {
            queue.add(newOwner)
            // A pod that just became ready turns available after minReadySeconds: look again then.
            if !PodConditions.isReady(old) && PodConditions.isReady(new),
               let minReady = replicaSets.get(newOwner).map({ ReplicaSet($0).spec.minReadySeconds }), minReady > 0 {
                queue.add(newOwner, after: TimeInterval(minReady) + 1)
            }
        } else if new.controllerRef == nil && (old.metaLabels != new.metaLabels || old.controllerRef != nil) {
            for key in selecting(new) { queue.add(key) }
        }
    }

    func podDeleted(_ pod: JSONValue) {
        guard let key = owner(of: pod) else { return }
        expectations.deletionObserved(key, pod: Informer.key(pod))
        queue.add(key)
    }

    // MARK: - Reconcile

    public func reconcile(_ key: String) async throws {
        guard let rs = replicaSets.get(key) else {
            expectations.forget(key)
            return
        }
        let needsSync = expectations.satisfied(key)
        let selector: LabelSelector
        do { selector = try LabelSelector.from(ReplicaSet(rs).spec.selector) } catch {
            // Not retried: only a new spec (which queues the key again) can mend it.
            logger.error("Error converting pod selector to selector", metadata: ["replicaSet": "\(key)", "err": "\(error)"])
            recorder.event(rs, type: "Warning", reason: "SelectorParsingFailed", message: "invalid selector")
            return
        }
        guard !selector.isEmpty else {
            recorder.event(rs, type: "Warning", reason: "SelectorParsingFailed", message: "invalid selector")
            return
        }
        let active = try await claimPods(rs, selector: selector)
        var manageError: (any Error)?
        if needsSync && !rs.isDeleting {
            do { try await manageReplicas(rs, active) } catch { manageError = error }
        }
        let updated = try await updateStatus(rs, ReplicaSetStatus.calculate(rs, pods: active, now: clock.now(), failure: manageError))
        if let manageError { throw manageError }
        // Ready pods that are not yet available become so after minReadySeconds.
        let stored = ReplicaSet(updated)
        let minReady = stored.spec.minReadySeconds, spec = stored.spec.replicas ?? 1
        if minReady > 0, stored.status.readyReplicas == spec, stored.status.availableReplicas != spec {
            queue.add(key, after: TimeInterval(minReady))
        }
    }

    /// The active pods this ReplicaSet owns after adopting and releasing.
    func claimPods(_ rs: JSONValue, selector: LabelSelector) async throws -> [JSONValue] {
        var owned: [JSONValue] = []
        // Only pods it selects (from the label index) or already owns (the owner index) can
        // be kept, adopted or released; every other pod of the namespace would be ignored.
        let candidates = pods.list(namespace: rs.metaNamespace, selector: selector)
            + pods.owned(by: rs.uid).filter { !selector.matches(object: $0) }
        for pod in candidates where PodConditions.isActive(pod) {
            switch OwnerReferences.claim(pod, owner: rs, selector: selector) {
            case .owned: owned.append(pod)
            case .ignore: continue
            case .release: try await OwnerReferences.release(pod, owner: rs, resource: .pods, client: client)
            case .adopt:
                // Adopt only for a ReplicaSet that still exists under the same uid, as client-go rechecks.
                let fresh = try await client.get(.replicaSets, namespace: rs.metaNamespace, name: rs.metaName)
                guard fresh.uid == rs.uid, !fresh.isDeleting else { continue }
                do {
                    owned.append(try await OwnerReferences.adopt(pod, owner: rs, resource: .pods, client: client))
                } catch let e as APIStatusError where e.code == 404 {
                    continue
                }
            }
        }
        return owned
    }
}
