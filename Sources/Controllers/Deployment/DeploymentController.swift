import Foundation
import KubeClient
import KubeModel
import Logging

/// Rolls Deployments out through ReplicaSets (`pkg/controller/deployment`): one ReplicaSet per
/// pod template, scaled by the RollingUpdate or Recreate strategy, with revisions, rollbacks,
/// pause, proportional scaling, history cleanup and the Progressing/Available conditions.
public final class DeploymentController: Controller {
    public let name = "deployment-controller"
    public let logger: Logger
    public let queue: WorkQueue
    let client: APIClient
    let clock: any WallClock
    let deployments: Informer
    let replicaSets: Informer
    let pods: Informer
    let recorder: EventRecorder

    public init(client: APIClient, clock: any WallClock, deployments: Informer, replicaSets: Informer, pods: Informer, recorder: EventRecorder, logger: Logger? = nil) {
        self.logger = logger ?? Logger(label: "deployment-controller")
        self.client = client
        self.clock = clock
        self.deployments = deployments
        self.replicaSets = replicaSets
        self.pods = pods
        self.recorder = recorder
        queue = WorkQueue(clock: clock)
        deployments.addHandler(Informer.Handler(
            onAdd: { [queue] in queue.add(Informer.key($0)) },
            onUpdate: { [queue] _, new in queue.add(Informer.key(new)) },
            onDelete: { [queue] in queue.add(Informer.key($0)) }))
        replicaSets.addHandler(Informer.Handler(
            onAdd: { [weak self] in self?.enqueueOwners(of: $0) },
            onUpdate: { [weak self] old, new in
                self?.enqueueOwners(of: new)
                if ReplicaSet(old).metadata.controllerRef?.uid != ReplicaSet(new).metadata.controllerRef?.uid { self?.enqueueOwners(of: old) }
            },
            onDelete: { [weak self] in self?.enqueueOwners(of: $0) }))
        // Recreate waits for the last old pod to go before it scales the new ReplicaSet up.
        pods.addHandler(Informer.Handler(onDelete: { [weak self] pod in
            guard let self, let ref = Pod(pod).metadata.controllerRef, ref.kind == "ReplicaSet",
                  let rs = replicaSets.get(namespace: pod.metaNamespace, name: ref.name) else { return }
            enqueueOwners(of: rs)
        }))
    }

    /// The Deployment controlling a ReplicaSet, or for an orphan every Deployment selecting it.
    func enqueueOwners(of rs: JSONValue) {
        if let ref = ReplicaSet(rs).metadata.controllerRef {
            guard ref.kind == "Deployment", !ref.name.isEmpty,
                  let d = deployments.get(namespace: rs.metaNamespace, name: ref.name), d.uid == ref.uid else { return }
            queue.add(Informer.key(d))
            return
        }
        for d in deployments.list(namespace: rs.metaNamespace) {
            // An invalid selector adopts nothing; the Deployment's own sync reports the error.
            if let sel = try? LabelSelector.from(Deployment(d).spec.selector), !sel.isEmpty, sel.matches(object: rs) {
                queue.add(Informer.key(d))
            }
        }
    }

    public func reconcile(_ key: String) async throws {
        guard let d = deployments.get(key) else { return }
        let selector: LabelSelector
        do { selector = try LabelSelector.from(Deployment(d).spec.selector) } catch {
            // Not retried: only a new spec (which queues the key again) can mend it.
            logger.error("Error converting pod selector to selector", metadata: ["deployment": "\(key)", "err": "\(error)"])
            return
        }
        guard !selector.isEmpty else {
            recorder.event(d, type: "Warning", reason: "SelectingAll", message: "This deployment is selecting all pods. A non-empty selector is required.")
            return
        }
        let rsList = try await claimReplicaSets(d, selector: selector)
        var rollout = Rollout(controller: self, d: d)
        if d.isDeleting { return try await rollout.syncStatusOnly(rsList) }
        try await rollout.checkPausedConditions()
        if Deployment(d).spec.paused { return try await rollout.sync(rsList) }
        if try await rollout.isScalingEvent(rsList) { return try await rollout.sync(rsList) }
        if DeploymentUtil.isRollingUpdate(d) {
            try await rollout.rolloutRolling(rsList)
        } else {
            try await rollout.rolloutRecreate(rsList)
        }
    }

    /// The ReplicaSets this Deployment owns after adopting matching orphans and releasing
    /// ReplicaSets whose labels no longer match.
    func claimReplicaSets(_ d: JSONValue, selector: LabelSelector) async throws -> [JSONValue] {
        var owned: [JSONValue] = []
        for rs in replicaSets.list(namespace: d.metaNamespace) {
            switch OwnerReferences.claim(rs, owner: d, selector: selector) {
            case .owned: owned.append(rs)
            case .ignore: continue
            case .release: try await OwnerReferences.release(rs, owner: d, resource: .replicaSets, client: client)
            case .adopt:
                let fresh = try await client.get(.deployments, namespace: d.metaNamespace, name: d.metaName)
                guard fresh.uid == d.uid, !fresh.isDeleting else { continue }
                owned.append(try await OwnerReferences.adopt(rs, owner: d, resource: .replicaSets, client: client))
            }
        }
        return owned
    }
}
