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
        let want = DeploymentUtil.replicas(d)
        let have = DeploymentUtil.replicas(newRS)
        if have == want { return (false, newRS) }
        if have > want { return try await scaleReplicaSetAndRecordEvent(newRS, to: want) }
        return try await scaleReplicaSetAndRecordEvent(newRS, to: DeploymentUtil.newRSNewReplicas(d, all: all, newRS: newRS))
    }

    /// Scales old ReplicaSets down as far as availability allows: unhealthy replicas first,
    /// then the oldest ReplicaSets.
    mutating func reconcileOldReplicaSets(all: [JSONValue], oldRSs: [JSONValue], newRS: JSONValue) async throws -> (Bool, [JSONValue]) {
        if DeploymentUtil.sumSpec(oldRSs) == 0 { return (false, oldRSs) }
        let minAvailable = DeploymentUtil.replicas(d) - DeploymentUtil.maxUnavailable(d)
        let newUnavailable = DeploymentUtil.replicas(newRS) - min(DeploymentUtil.status(newRS, \.availableReplicas), DeploymentUtil.replicas(newRS))
        let maxScaledDown = DeploymentUtil.sumSpec(all) - minAvailable - newUnavailable
        if maxScaledDown <= 0 { return (false, oldRSs) }
        var (old, cleaned) = try await cleanupUnhealthyReplicas(oldRSs, max: maxScaledDown)
        let scaled = try await scaleDownOldForRollingUpdate(all: old + [newRS], old: &old)
        return (cleaned + scaled > 0, old)
    }

    /// Removes old replicas that are not available anyway, up to `max`.
    private mutating func cleanupUnhealthyReplicas(_ oldRSs: [JSONValue], max limit: Int64) async throws -> ([JSONValue], Int64) {
        var out = DeploymentUtil.byCreation(oldRSs)
        var total: Int64 = 0
        for (i, rs) in out.enumerated() {
            if total >= limit { break }
            let spec = DeploymentUtil.replicas(rs), available = DeploymentUtil.status(rs, \.availableReplicas)
            if spec == 0 || spec <= available { continue }
            let down = min(limit - total, spec - available)
            out[i] = try await scaleReplicaSetAndRecordEvent(rs, to: spec - down).rs
            total += down
        }
        return (out, total)
    }

    /// Scales the oldest ReplicaSets down while availability stays above minAvailable.
    private mutating func scaleDownOldForRollingUpdate(all: [JSONValue], old: inout [JSONValue]) async throws -> Int64 {
        let minAvailable = DeploymentUtil.replicas(d) - DeploymentUtil.maxUnavailable(d)
        let available = DeploymentUtil.sumAvailable(all)
        if available <= minAvailable { return 0 }
        old = DeploymentUtil.byCreation(old)
        let target = available - minAvailable
        var total: Int64 = 0
        for (i, rs) in old.enumerated() {
            if total >= target { break }
            let spec = DeploymentUtil.replicas(rs)
            if spec == 0 { continue }
            let down = min(spec, target - total)
            old[i] = try await scaleReplicaSetAndRecordEvent(rs, to: spec - down).rs
            total += down
        }
        return total
    }
}
