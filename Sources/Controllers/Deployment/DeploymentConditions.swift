import Foundation
import KubeModel

/// Deployment conditions and the rollout predicates built on them (`deployment/util`).
enum DeploymentConditions {
    static func make(_ type: String, _ status: String, _ reason: String, _ message: String, now: Date) -> JSONValue {
        let t = JSONValue.string(Timestamp.format(now))
        return ["type": .string(type), "status": .string(status), "reason": .string(reason), "message": .string(message),
                "lastUpdateTime": t, "lastTransitionTime": t]
    }

    static func get(_ status: JSONValue, _ type: String) -> Condition? { Deployment.Status(status).conditions[type: type] }

    /// Sets a condition; the same status and reason changes nothing, the same status keeps
    /// the transition time.
    static func set(_ status: inout JSONValue, _ c: JSONValue) {
        var list = status["conditions"]?.arrayValue ?? []
        var c = c
        if let i = list.firstIndex(where: { $0["type"] == c["type"] }) {
            let old = list[i]
            if old["status"] == c["status"] && old["reason"] == c["reason"] { return }
            if old["status"] == c["status"] { c["lastTransitionTime"] = old["lastTransitionTime"] }
            list.remove(at: i)
        }
        list.append(c)
        status["conditions"] = .array(list)
    }

    static func remove(_ status: inout JSONValue, _ type: String) {
        let list = (status["conditions"]?.arrayValue ?? []).filter { $0["type"]?.stringValue != type }
        status["conditions"] = list.isEmpty ? nil : .array(list)
    }

    /// Every replica updated and available, no old ones left, and the spec observed.
    static func complete(_ d: JSONValue, _ s: JSONValue) -> Bool {
        let r = DeploymentUtil.replicas(d), s = Deployment.Status(s)
        return s.updatedReplicas == r && s.replicas == r && s.availableReplicas == r && s.observedGeneration >= d.generation
    }

    /// Something moved since the last status: more updated, ready or available pods, or fewer old ones.
    static func progressing(_ d: JSONValue, _ new: JSONValue) -> Bool {
        let old = Deployment(d).status, new = Deployment.Status(new)
        return new.updatedReplicas > old.updatedReplicas
            || new.readyReplicas > old.readyReplicas
            || new.availableReplicas > old.availableReplicas
            || old.replicas - old.updatedReplicas > new.replicas - new.updatedReplicas
    }

    static func timedOut(_ d: JSONValue, _ s: JSONValue, now: Date) -> Bool {
        guard DeploymentUtil.hasProgressDeadline(d), let c = get(s, "Progressing") else { return false }
        switch c.reason {
        case "NewReplicaSetAvailable": return false
        case "ProgressDeadlineExceeded": return true
        default: break
        }
        guard let from = c.lastUpdateTime, let deadline = Deployment(d).spec.progressDeadlineSeconds else { return false }
        return from.addingTimeInterval(TimeInterval(deadline)) < now
    }
}
