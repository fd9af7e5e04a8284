import Foundation
import KubeClient
import KubeModel

/// The RollingUpdate strategy (`rolling.go`): grow the new ReplicaSet within maxSurge, shrink
/// old ones within maxUnavailable, one step per sync.
extension Rollout {
    mutating func rolloutRolling(_ rsList: [JSONValue]) async throws {
        let (created, oldRSs) = try await replicaSetsAndSyncRevision(rsList, create: true)
        guard var newRS = created else { return }
        var all = oldRSs + [newRS]
        let (scaledUp, updatedNew) = try await reconcileNewReplicaSet(all: all, newRS: newRS)
        newRS = updatedNew
        all = oldRSs + [newRS]
        if scaledUp { return try await syncRolloutStatus(all: all, newRS: newRS) }
        let (scaledDown, updatedOld) = try await reconcileOldReplicaSets(all: all, oldRSs: oldRSs, newRS: newRS)
        all = updatedOld + [newRS]
        if scaledDown { return try await syncRolloutStatus(all: all, newRS: newRS) }
        var remaining = updatedOld
        if DeploymentConditions.complete(d, Deployment(d).status.json) { remaining = try await cleanup(updatedOld) }
        try await syncRolloutStatus(all: remaining + [newRS], newRS: newRS)
    }

    mutating func reconcileNewReplicaSet(all: [JSONValue], newRS: JSONValue) async throws -> (Bool, JSONValue) {
        guard let size = DeploymentUtil.reconcileNewReplicaSet(d, all: all, newRS: newRS) else { return (false, newRS) }
        return try await scaleReplicaSetAndRecordEvent(newRS, to: size)
    }

    /// Scales old ReplicaSets down as far as availability allows: unhealthy replicas first,
    /// then the oldest ReplicaSets.
    mutating func reconcileOldReplicaSets(all: [JSONValue], oldRSs: [JSONValue], newRS: JSONValue) async throws -> (Bool, [JSONValue]) {
        if DeploymentUtil.getReplicaCountForReplicaSets(oldRSs) == 0 { return (false, oldRSs) }
        let maxScaledDown = DeploymentUtil.maxScaledDown(d, all: all, newRS: newRS)
        if maxScaledDown <= 0 { return (false, oldRSs) }
        let cleanup = DeploymentUtil.cleanupUnhealthyReplicas(oldRSs, maxCleanupCount: maxScaledDown)
        var old = try await scaleEach(DeploymentUtil.byCreation(oldRSs), to: cleanup.replicas)
        // From what the API server stored after the cleanup, as Kubernetes does.
        let scaleDown = DeploymentUtil.scaleDownOldReplicaSetsForRollingUpdate(d, all: old + [newRS], oldRSs: old)
        if scaleDown.scaledDown > 0 { old = try await scaleEach(DeploymentUtil.byCreation(old), to: scaleDown.replicas) }
        return (cleanup.cleanedUp + scaleDown.scaledDown > 0, old)
    }

    /// Scales each ReplicaSet whose size differs to its size; returns them as stored.
    private mutating func scaleEach(_ rss: [JSONValue], to sizes: [Int64]) async throws -> [JSONValue] {
        var out = rss
        for (i, size) in sizes.enumerated() where size != DeploymentUtil.replicas(out[i]) {
            out[i] = try await scaleReplicaSetAndRecordEvent(out[i], to: size).rs
        }
        return out
    }
}
