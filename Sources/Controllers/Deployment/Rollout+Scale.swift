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

    /// Scales to `replicas`: all of it to the one active ReplicaSet, or, mid-rollout, spread
    /// over the active ReplicaSets in proportion to their size (bigger first for additions,
    /// older first for removals), leftovers to the first.
    mutating func scale(newRS: JSONValue?, oldRSs: [JSONValue]) async throws {
        let replicas = DeploymentUtil.replicas(d)
        if let target = activeOrLatest(newRS: newRS, oldRSs: oldRSs) {
            if DeploymentUtil.replicas(target) == replicas { return }
            _ = try await scaleReplicaSetAndRecordEvent(target, to: replicas)
            return
        }
        if DeploymentUtil.isSaturated(d, newRS) {
            for old in DeploymentUtil.active(oldRSs) { _ = try await scaleReplicaSetAndRecordEvent(old, to: 0) }
            return
        }
        guard DeploymentUtil.isRollingUpdate(d) else { return }
        var all = DeploymentUtil.active(oldRSs + (newRS.map { [$0] } ?? []))
        let allowed = replicas > 0 ? replicas + DeploymentUtil.maxSurge(d) : 0
        let toAdd = allowed - DeploymentUtil.sumSpec(all)
        let newer: (JSONValue, JSONValue) -> Bool = { ($0.creationTimestamp ?? .distantPast) > ($1.creationTimestamp ?? .distantPast) }
        if toAdd > 0 {
            all.sort { DeploymentUtil.replicas($0) != DeploymentUtil.replicas($1) ? DeploymentUtil.replicas($0) > DeploymentUtil.replicas($1) : newer($0, $1) }
        } else if toAdd < 0 {
            all.sort { DeploymentUtil.replicas($0) != DeploymentUtil.replicas($1) ? DeploymentUtil.replicas($0) > DeploymentUtil.replicas($1) : newer($1, $0) }
        }
        var added: Int64 = 0
        var sizes: [Int64] = []
        for rs in all {
            let p = toAdd == 0 ? 0 : proportion(rs, toAdd: toAdd, added: added)
            sizes.append(DeploymentUtil.replicas(rs) + p)
            added += p
        }
        for (i, rs) in all.enumerated() {
            var size = sizes[i]
            if i == 0 && toAdd != 0 { size = max(0, size + toAdd - added) }
            _ = try await scaleReplicaSet(rs, to: size, operation: toAdd > 0 ? "up" : "down")
        }
    }

    private func proportion(_ rs: JSONValue, toAdd: Int64, added: Int64) -> Int64 {
        let r = DeploymentUtil.replicas(rs)
        guard r != 0, toAdd != added else { return 0 }
        let fraction: Int64
        if DeploymentUtil.replicas(d) == 0 {
            fraction = -r
        } else {
            let deploymentReplicas = DeploymentUtil.replicas(d) + DeploymentUtil.maxSurge(d)
            let annotated = rs.metaAnnotations[DeploymentUtil.maxReplicasAnnotation].flatMap { Int64($0) } ?? Deployment(d).status.replicas
            fraction = annotated == 0 ? 0 : Int64((Double(r * deploymentReplicas) / Double(annotated)).rounded()) - r
        }
        let allowed = toAdd - added
        return toAdd > 0 ? min(fraction, allowed) : max(fraction, allowed)
    }

    /// The only active ReplicaSet, or the newest when none is active; nil when several are.
    private func activeOrLatest(newRS: JSONValue?, oldRSs: [JSONValue]) -> JSONValue? {
        if newRS == nil && oldRSs.isEmpty { return nil }
        let sortedOld = DeploymentUtil.byCreation(oldRSs).reversed()
        let active = DeploymentUtil.active(sortedOld + (newRS.map { [$0] } ?? []))
        switch active.count {
        case 0: return newRS ?? sortedOld.first
        case 1: return active[0]
        default: return nil
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
