import Foundation
import KubeClient
import KubeModel

/// One sync of one Deployment. `d` follows every write, so later steps of the same sync work
/// from what the API server stored.
struct Rollout {
    let controller: DeploymentController
    var d: JSONValue

    var client: APIClient { controller.client }
    var now: Date { controller.clock.now() }
    var progressing: Condition? { Deployment(d).status.conditions[type: "Progressing"] }

    /// Writes `d`'s status (and annotations, which a status write may carry).
    mutating func updateStatus() async throws {
        d = try await client.update(.deployments, namespace: d.metaNamespace, d, subresource: "status")
    }

    /// Finds the new ReplicaSet (creating it when asked) and brings revisions up to date.
    mutating func replicaSetsAndSyncRevision(_ rsList: [JSONValue], create: Bool) async throws -> (new: JSONValue?, old: [JSONValue]) {
        let existing = DeploymentUtil.findNewReplicaSet(d, rsList)
        let old = rsList.filter { $0.uid != existing?.uid }
        let new = try await newReplicaSet(existing: existing, old: old, create: create)
        return (new, old)
    }

    private mutating func newReplicaSet(existing: JSONValue?, old: [JSONValue], create: Bool) async throws -> JSONValue? {
        let newRevision = DeploymentUtil.maxRevision(old) + 1
        if let existing {
            var rs = existing
            let annotationsChanged = setNewReplicaSetAnnotations(&rs, revision: newRevision, exists: true)
            let minReady = Deployment(d).spec.minReadySeconds
            let minReadyChanged = ReplicaSet(rs).spec.minReadySeconds != minReady
            if annotationsChanged || minReadyChanged {
                rs.set(["spec", "minReadySeconds"], minReady == 0 ? nil : .int(minReady))
                return try await client.update(.replicaSets, namespace: rs.metaNamespace, rs)
            }
            var needsUpdate = setDeploymentRevision(rs.metaAnnotations[DeploymentUtil.revisionAnnotation] ?? "")
            if DeploymentUtil.hasProgressDeadline(d) && progressing == nil {
                setCondition("Progressing", "True", "FoundNewReplicaSet", "Found new replica set \"\(rs.metaName)\"")
                needsUpdate = true
            }
            if needsUpdate { try await updateStatus() }
            return rs
        }
        guard create else { return nil }
        let collision = Deployment(d).status.collisionCount
        let template = Deployment(d).spec.template.json
        let hash = DeploymentUtil.computeHash(template, collisionCount: collision)
        var rsTemplate = template
        rsTemplate.set(["metadata", "labels", DeploymentUtil.hashLabel], .string(hash))
        var selector = Deployment(d).spec.selector ?? .emptyObject
        selector.set(["matchLabels", DeploymentUtil.hashLabel], .string(hash))
        var rs: JSONValue = [
            "apiVersion": "apps/v1", "kind": "ReplicaSet",
            "metadata": ["name": .string("\(d.metaName)-\(hash)"), "namespace": .string(d.metaNamespace),
                         "labels": rsTemplate[path: ["metadata", "labels"]] ?? .emptyObject,
                         "ownerReferences": [OwnerReferences.controllerRef(to: d)]],
            "spec": ["replicas": 0, "selector": selector, "template": rsTemplate],
        ]
        let minReady = Deployment(d).spec.minReadySeconds
        if minReady != 0 { rs.set(["spec", "minReadySeconds"], .int(minReady)) }
        let count = DeploymentUtil.newRSNewReplicas(d, all: old + [rs], newRS: rs)
        rs.set(["spec", "replicas"], .int(count))
        _ = setNewReplicaSetAnnotations(&rs, revision: newRevision, exists: false)
        var created: JSONValue
        var alreadyExisted = false
        do {
            created = try await client.create(.replicaSets, namespace: d.metaNamespace, rs)
        } catch let e as APIStatusError where e.code == 409 && e.reason == "AlreadyExists" {
            let found = try await client.get(.replicaSets, namespace: d.metaNamespace, name: rs.metaName)
            let stored = ReplicaSet(found)
            guard stored.metadata.controllerRef?.uid == d.uid, DeploymentUtil.equalIgnoreHash(stored.spec.template.json, template) else {
                // A different ReplicaSet holds the name: hash again with a bigger collision count.
                d.set(["status", "collisionCount"], .int((collision ?? 0) + 1))
                try await updateStatus()
                throw e
            }
            created = found
            alreadyExisted = true
        } catch let e as APIStatusError {
            let message = "Failed to create new replica set \"\(rs.metaName)\": \(e.message)"
            if DeploymentUtil.hasProgressDeadline(d) {
                setCondition("Progressing", "False", "ReplicaSetCreateError", message)
                // The create's error is thrown (logged, and retried with backoff); a failed status
                // write beside it is written again on that retry.
                try? await updateStatus()
            }
            controller.recorder.event(d, type: "Warning", reason: "FailedCreate", message: message)
            throw e
        }
        if !alreadyExisted && count > 0 {
            controller.recorder.event(d, reason: "ScalingReplicaSet", message: "Scaled up replica set \(created.metaName) from 0 to \(count)")
            controller.logger.info("Scaled up replica set", metadata: ["deployment": "\(Informer.key(d))", "replicaSet": "\(created.metaName)", "from": "0", "to": "\(count)"])
        }
        var needsUpdate = setDeploymentRevision(String(newRevision))
        if !alreadyExisted && DeploymentUtil.hasProgressDeadline(d) {
            setCondition("Progressing", "True", "NewReplicaSetCreated", "Created new replica set \"\(created.metaName)\"")
            needsUpdate = true
        }
        if needsUpdate { try await updateStatus() }
        return created
    }

    /// Copies the Deployment's annotations and records the revision; a ReplicaSet taking a
    /// newer revision than it had is a rollback, remembered in `revision-history`.
    private func setNewReplicaSetAnnotations(_ rs: inout JSONValue, revision: Int64, exists: Bool) -> Bool {
        var changed = false
        var annotations = rs[path: ["metadata", "annotations"]]?.objectValue ?? [:]
        for (k, v) in Deployment(d).metadata.annotations where !DeploymentUtil.notCopied.contains(k) {
            if annotations[k] != .string(v) { annotations[k] = .string(v); changed = true }
        }
        let oldText = annotations[DeploymentUtil.revisionAnnotation]?.stringValue
        let old = Int64(oldText ?? "") ?? 0
        if old < revision {
            annotations[DeploymentUtil.revisionAnnotation] = .string(String(revision))
            changed = true
            if let oldText {
                let history = annotations[DeploymentUtil.revisionHistoryAnnotation]?.stringValue ?? ""
                annotations[DeploymentUtil.revisionHistoryAnnotation] = .string(history.isEmpty ? oldText : history + "," + oldText)
            }
        }
        rs.set(["metadata", "annotations"], .object(annotations))
        if !exists {
            let r = DeploymentUtil.replicas(d)
            if DeploymentUtil.setReplicasAnnotations(&rs, desired: r, max: r + DeploymentUtil.maxSurge(d)) { changed = true }
        }
        return changed
    }

    /// Sets the Deployment's revision annotation; true when it changed.
    private mutating func setDeploymentRevision(_ revision: String) -> Bool {
        guard !revision.isEmpty, d.metaAnnotations[DeploymentUtil.revisionAnnotation] != revision else { return false }
        d.set(["metadata", "annotations", DeploymentUtil.revisionAnnotation], .string(revision))
        return true
    }

    mutating func setCondition(_ type: String, _ status: String, _ reason: String, _ message: String) {
        var s = d["status"] ?? .emptyObject
        DeploymentConditions.set(&s, DeploymentConditions.make(type, status, reason, message, now: now))
        d["status"] = s
    }
}
