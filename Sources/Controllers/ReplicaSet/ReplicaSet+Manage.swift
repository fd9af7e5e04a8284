import Foundation
import KubeClient
import KubeModel

extension ReplicaSetController {
    /// Creates or deletes pods so that `active` reaches `spec.replicas`.
    func manageReplicas(_ rs: JSONValue, _ active: [JSONValue]) async throws {
        let key = Informer.key(rs)
        let want = Int(DeploymentUtil.replicas(rs))
        let diff = active.count - want
        if diff < 0 {
            let count = min(-diff, Self.burstReplicas)
            expectations.expectCreations(key, count)
            let (created, error) = await slowStartBatch(count) { try await self.createPod(for: rs) }
            // Pods never created (failed, or in batches never started) will never be observed:
            // stop expecting them, so the retry after the error syncs again at once.
            if created < count {
                logger.debug("Slow-start failure. Skipping creation of pods, decrementing expectations",
                             metadata: ["podsSkipped": "\(count - created)", "replicaSet": "\(key)"])
                for _ in created..<count { expectations.creationObserved(key) }
            }
            if let error { throw error }
        } else if diff > 0 {
            let victims = PodRanking.podsToDelete(active, count: min(diff, Self.burstReplicas))
            expectations.expectDeletions(key, victims.map(Informer.key))
            var firstError: (any Error)?
            await withTaskGroup(of: (any Error)?.self) { group in
                for pod in victims {
                    group.addTask { await self.deletePod(pod, of: rs) }
                }
                for await e in group where e != nil { firstError = firstError ?? e }
            }
            if let firstError { throw firstError }
        }
    }

    /// Runs `count` calls in batches of 1, 2, 4, … and stops at the first batch with a failure,
    /// so a quota or admission error costs one call, not hundreds. Returns how many succeeded
    /// and the first failure.
    func slowStartBatch(_ count: Int, _ call: @escaping @Sendable () async throws -> Void) async -> (succeeded: Int, error: (any Error)?) {
        var done = 0
        var batch = 1
        while done < count {
            let size = min(batch, count - done)
            var failures: [any Error] = []
            await withTaskGroup(of: (any Error)?.self) { group in
                for _ in 0..<size {
                    group.addTask {
                        do { try await call(); return nil } catch { return error }
                    }
                }
                for await e in group { if let e { failures.append(e) } }
            }
            done += size - failures.count
            if let first = failures.first { return (done, first) }
            batch *= 2
        }
        return (done, nil)
    }

    func createPod(for rs: JSONValue) async throws {
        let template = ReplicaSet(rs).spec.template
        var meta: JSONValue = [
            "generateName": .string(rs.metaName + "-"), "namespace": .string(rs.metaNamespace),
            "ownerReferences": [OwnerReferences.controllerRef(to: rs)],
        ]
        // Copied as written: the template's metadata may hold non-string values validation rejects.
        for field in ["labels", "annotations", "finalizers"] { if let v = template.metadata.json[field] { meta[field] = v } }
        let pod: JSONValue = ["apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": template.spec.json]
        do {
            let created = try await client.create(.pods, namespace: rs.metaNamespace, pod)
            recorder.event(rs, reason: "SuccessfulCreate", message: "Created pod: \(created.metaName)")
        } catch let e as APIStatusError {
            recorder.event(rs, type: "Warning", reason: "FailedCreate", message: "Error creating: \(e.message)")
            throw e
        }
    }

    /// Deletes one pod; a pod already gone counts as deleted.
    func deletePod(_ pod: JSONValue, of rs: JSONValue) async -> (any Error)? {
        do {
            _ = try await client.delete(.pods, namespace: pod.metaNamespace, name: pod.metaName)
            recorder.event(rs, reason: "SuccessfulDelete", message: "Deleted pod: \(pod.metaName)")
            return nil
        } catch let e as APIStatusError where e.code == 404 {
            expectations.deletionObserved(Informer.key(rs), pod: Informer.key(pod))
            return nil
        } catch {
            expectations.deletionObserved(Informer.key(rs), pod: Informer.key(pod))
            recorder.event(rs, type: "Warning", reason: "FailedDelete", message: "Error deleting: \(error)")
            return error
        }
    }

    /// Writes the status if it changed; returns the ReplicaSet as stored.
    func updateStatus(_ rs: JSONValue, _ status: JSONValue) async throws -> JSONValue {
        var next = rs
        var s = status
        s["observedGeneration"] = .int(rs.generation)
        if ReplicaSetStatus.same(ReplicaSet(rs).status.json, s) { return rs }
        next["status"] = s
        do {
            return try await client.update(.replicaSets, namespace: rs.metaNamespace, next, subresource: "status")
        } catch let e as APIStatusError where e.code == 404 {
            return rs
        }
    }
}
