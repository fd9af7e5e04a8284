import Foundation
import KubeClient
import KubeModel

extension Rollout {
    /// Sync for a paused Deployment or a change of `replicas`: scale, clean up, report.
    mutating func sync(_ rsList: [JSONValue]) async throws {
        let (newRS, oldRSs) = try await replicaSetsAndSyncRevision(rsList, create: false)
        try await scale(newRS: newRS, oldRSs: oldRSs)
        var old = oldRSs
        if Deployment(d).spec.paused { old = try await cleanup(old) }
        try await syncDeploymentStatus(all: old + (newRS.map { [$0] } ?? []), newRS: newRS)
    }

    /// A ReplicaSet whose desired-replicas annotation differs from the Deployment's replicas
    /// means the user scaled the Deployment.
    mutating func isScalingEvent(_ rsList: [JSONValue]) async throws -> Bool {
        let (newRS, oldRSs) = try await replicaSetsAndSyncRevision(rsList, create: false)
        let all = oldRSs + (newRS.map { [$0] } ?? [])
        return DeploymentUtil.active(all).contains { rs in
            guard let desired = DeploymentUtil.desiredAnnotation(rs) else { return false }
            return desired != DeploymentUtil.replicas(d)
        }
    }

    /// Scales to `replicas` as `DeploymentUtil.scaleSteps` says.
    mutating func scale(newRS: JSONValue?, oldRSs: [JSONValue]) async throws {
        for step in DeploymentUtil.scaleSteps(d, newRS: newRS, oldRSs: oldRSs) {
            if let operation = step.operation {
                _ = try await scaleReplicaSet(step.rs, to: step.replicas, operation: operation)
            } else {
                _ = try await scaleReplicaSetAndRecordEvent(step.rs, to: step.replicas)
            }
        }
    }

    mutating func scaleReplicaSetAndRecordEvent(_ rs: JSONValue, to count: Int64) async throws -> (scaled: Bool, rs: JSONValue) {
        if DeploymentUtil.replicas(rs) == count { return (false, rs) }
        return try await scaleReplicaSet(rs, to: count, operation: DeploymentUtil.replicas(rs) < count ? "up" : "down")
    }

    /// Sets replicas and the desired/max annotations; records ScalingReplicaSet when the size changed.
    mutating func scaleReplicaSet(_ rs: JSONValue, to count: Int64, operation: String) async throws -> (scaled: Bool, rs: JSONValue) {
        let from = DeploymentUtil.replicas(rs)
        var copy = rs
        let r = DeploymentUtil.replicas(d)
        let annotationsChanged = DeploymentUtil.setReplicasAnnotations(&copy, desired: r, max: r + DeploymentUtil.maxSurge(d))
        guard from != count || annotationsChanged else { return (false, rs) }
        copy.set(["spec", "replicas"], .int(count))
        let updated = try await client.update(.replicaSets, namespace: rs.metaNamespace, copy)
        if from != count {
            controller.recorder.event(d, reason: "ScalingReplicaSet", message: "Scaled \(operation) replica set \(rs.metaName) from \(from) to \(count)")
            controller.logger.info("Scaled \(operation) replica set", metadata: ["deployment": "\(Informer.key(d))", "replicaSet": "\(rs.metaName)", "from": "\(from)", "to": "\(count)"])
        }
        return (from != count, updated)
    }

    /// Deletes the oldest scaled-down ReplicaSets beyond `revisionHistoryLimit`.
    mutating func cleanup(_ oldRSs: [JSONValue]) async throws -> [JSONValue] {
        guard let limit = Deployment(d).spec.revisionHistoryLimit else { return oldRSs }
        let alive = oldRSs.filter { !$0.isDeleting }
        let excess = alive.count - Int(limit)
        guard excess > 0 else { return oldRSs }
        var removed: Set<String> = []
        let byRevision = alive.sorted { DeploymentUtil.revision($0) != DeploymentUtil.revision($1) ? DeploymentUtil.revision($0) < DeploymentUtil.revision($1) : $0.metaName < $1.metaName }
        for rs in byRevision.prefix(excess) {
            if DeploymentUtil.status(rs, \.replicas) != 0 || DeploymentUtil.replicas(rs) != 0
                || rs.generation > DeploymentUtil.status(rs, \.observedGeneration) { continue }
            do {
                _ = try await client.delete(.replicaSets, namespace: rs.metaNamespace, name: rs.metaName)
            } catch let e as APIStatusError where e.code == 404 {}
            removed.insert(rs.uid)
        }
        return oldRSs.filter { !removed.contains($0.uid) }
    }
}
