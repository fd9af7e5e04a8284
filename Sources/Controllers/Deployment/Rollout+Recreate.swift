import Foundation
import KubeClient
import KubeModel

/// The Recreate strategy (`recreate.go`): every old pod gone before the new ReplicaSet grows.
extension Rollout {
    mutating func rolloutRecreate(_ rsList: [JSONValue]) async throws {
        var (newRS, oldRSs) = try await replicaSetsAndSyncRevision(rsList, create: false)
        var scaledDown = false
        for (i, rs) in oldRSs.enumerated() where DeploymentUtil.replicas(rs) != 0 {
            let r = try await scaleReplicaSetAndRecordEvent(rs, to: 0)
            oldRSs[i] = r.rs
            scaledDown = scaledDown || r.scaled
        }
        if scaledDown || oldPodsRunning(oldRSs) {
            return try await syncRolloutStatus(all: oldRSs + (newRS.map { [$0] } ?? []), newRS: newRS)
        }
        if newRS == nil {
            (newRS, oldRSs) = try await replicaSetsAndSyncRevision(rsList, create: true)
        }
        guard var rs = newRS else { return }
        rs = try await scaleReplicaSetAndRecordEvent(rs, to: DeploymentUtil.replicas(d)).rs
        if DeploymentConditions.complete(d, Deployment(d).status.json) { oldRSs = try await cleanup(oldRSs) }
        try await syncRolloutStatus(all: oldRSs + [rs], newRS: rs)
    }

    /// Any pod of an old ReplicaSet that has not finished, terminating ones included.
    func oldPodsRunning(_ oldRSs: [JSONValue]) -> Bool {
        if DeploymentUtil.sumStatus(oldRSs, \.replicas) > 0 { return true }
        for rs in oldRSs {
            for pod in controller.pods.owned(by: rs.uid) {
                let phase = PodConditions.phase(pod)
                if phase != "Failed" && phase != "Succeeded" { return true }
            }
        }
        return false
    }
}
