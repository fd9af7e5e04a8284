import Foundation
import KubeClient
import KubeModel

extension Rollout {
    /// `status` summed over the ReplicaSets, with the Available condition.
    func calculateStatus(all: [JSONValue], newRS: JSONValue?) -> JSONValue {
        let available = DeploymentUtil.sumStatus(all, \.availableReplicas)
        let unavailable = max(0, DeploymentUtil.getReplicaCountForReplicaSets(all) - available)
        var s = d["status"] ?? .emptyObject
        s["observedGeneration"] = .int(d.generation)
        s["replicas"] = .int(DeploymentUtil.sumStatus(all, \.replicas))
        s["updatedReplicas"] = .int(newRS.map { DeploymentUtil.status($0, \.replicas) } ?? 0)
        s["readyReplicas"] = .int(DeploymentUtil.sumStatus(all, \.readyReplicas))
        s["availableReplicas"] = .int(available)
        s["unavailableReplicas"] = .int(unavailable)
        for f in ["replicas", "updatedReplicas", "readyReplicas", "availableReplicas", "unavailableReplicas"] where s[f] == .int(0) { s[f] = nil }
        let c: JSONValue = available >= DeploymentUtil.replicas(d) - DeploymentUtil.maxUnavailable(d)
            ? DeploymentConditions.make("Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability.", now: now)
            : DeploymentConditions.make("Available", "False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability.", now: now)
        DeploymentConditions.set(&s, c)
        return s
    }

    mutating func syncDeploymentStatus(all: [JSONValue], newRS: JSONValue?) async throws {
        let s = calculateStatus(all: all, newRS: newRS)
        if s == d["status"] { return }
        d["status"] = s
        try await updateStatus()
    }

    /// A Deployment being deleted only reports.
    mutating func syncStatusOnly(_ rsList: [JSONValue]) async throws {
        let (newRS, oldRSs) = try await replicaSetsAndSyncRevision(rsList, create: false)
        try await syncDeploymentStatus(all: oldRSs + (newRS.map { [$0] } ?? []), newRS: newRS)
    }

    /// Status with the Progressing condition: complete, progressing, or past its deadline.
    mutating func syncRolloutStatus(all: [JSONValue], newRS: JSONValue?) async throws {
        var s = calculateStatus(all: all, newRS: newRS)
        if !DeploymentUtil.hasProgressDeadline(d) { DeploymentConditions.remove(&s, "Progressing") }
        let current = DeploymentConditions.get(s, "Progressing")
        let isComplete = Deployment.Status(s).replicas == Deployment.Status(s).updatedReplicas && current?.reason == "NewReplicaSetAvailable"
        if DeploymentUtil.hasProgressDeadline(d) && !isComplete {
            let rsName = newRS?.metaName ?? ""
            if DeploymentConditions.complete(d, s) {
                DeploymentConditions.set(&s, DeploymentConditions.make("Progressing", "True", "NewReplicaSetAvailable", "ReplicaSet \"\(rsName)\" has successfully progressed.", now: now))
            } else if DeploymentConditions.progressing(d, s) {
                var c = DeploymentConditions.make("Progressing", "True", "ReplicaSetUpdated", "ReplicaSet \"\(rsName)\" is progressing.", now: now)
                if let current {
                    if current.isTrue { c["lastTransitionTime"] = current.json["lastTransitionTime"] }
                    DeploymentConditions.remove(&s, "Progressing")
                }
                DeploymentConditions.set(&s, c)
            } else if DeploymentConditions.timedOut(d, s, now: now) {
                DeploymentConditions.set(&s, DeploymentConditions.make("Progressing", "False", "ProgressDeadlineExceeded", "ReplicaSet \"\(rsName)\" has timed out progressing.", now: now))
            }
        }
        if s == d["status"] {
            requeueStuck(s)
            return
        }
        d["status"] = s
        try await updateStatus()
        // A rollout that was just marked as progressing has a new deadline to watch.
        requeueStuck(s)
    }

    /// Looks again when the progress deadline of a running rollout passes.
    func requeueStuck(_ s: JSONValue) {
        guard DeploymentUtil.hasProgressDeadline(d), let c = DeploymentConditions.get(s, "Progressing"),
              !DeploymentConditions.complete(d, s), c.reason != "ProgressDeadlineExceeded",
              let from = c.lastUpdateTime, let deadline = Deployment(d).spec.progressDeadlineSeconds else { return }
        let after = from.addingTimeInterval(TimeInterval(deadline)).timeIntervalSince(now)
        controller.queue.add(Informer.key(d), after: max(after, 0) + 1)
    }

    /// Progressing=Unknown with DeploymentPaused / DeploymentResumed when `paused` flips.
    mutating func checkPausedConditions() async throws {
        guard DeploymentUtil.hasProgressDeadline(d) else { return }
        let c = progressing
        if c?.reason == "ProgressDeadlineExceeded" { return }
        let pausedShown = c?.reason == "DeploymentPaused"
        let paused = Deployment(d).spec.paused
        if paused && !pausedShown {
            setCondition("Progressing", "Unknown", "DeploymentPaused", "Deployment is paused")
        } else if !paused && pausedShown {
            setCondition("Progressing", "Unknown", "DeploymentResumed", "Deployment is resumed")
        } else {
            return
        }
        try await updateStatus()
    }
}
