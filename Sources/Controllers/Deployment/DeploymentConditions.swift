import Foundation
import KubeModel

/// Deployment conditions and the rollout predicates built on them (`deployment/util`).
enum DeploymentConditions {
    static func make(_ type: String, _ status: String, _ reason: String, _ message: String, now: Date) -> JSONValue {
        let t = JSONValue.string(Timestamp.format(now))
        return ["type": .string(type), "status": .string(status), "reason": .string(reason), "message": .string(message),
                "lastUpdateTime": t, "lastTransitionTime": t]
    }

    static func get(_ status: JSONValue, _ type: String) -> JSONValue? {
        status["conditions"]?.arrayValue?.first { $0["type"]?.stringValue == type }
    }

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

    static func field(_ s: JSONValue, _ f: String) -> Int64 { s[f]?.intValue ?? 0 }

    /// Every replica updated and available, no old ones left, and the spec observed.
    static func complete(_ d: JSONValue, _ s: JSONValue) -> Bool {
        let r = DeploymentUtil.replicas(d)
        return field(s, "updatedReplicas") == r && field(s, "replicas") == r && field(s, "availableReplicas") == r
            && field(s, "observedGeneration") >= d.generation
    }

    /// Something moved since the last status: more updated, ready or available pods, or fewer old ones.
    static func progressing(_ d: JSONValue, _ new: JSONValue) -> Bool {
        let old = d["status"] ?? .emptyObject
        return field(new, "updatedReplicas") > field(old, "updatedReplicas")
            || field(new, "readyReplicas") > field(old, "readyReplicas")
            || field(new, "availableReplicas") > field(old, "availableReplicas")
            || field(old, "replicas") - field(old, "updatedReplicas") > field(new, "replicas") - field(new, "updatedReplicas")
    }

    static func timedOut(_ d: JSONValue, _ s: JSONValue, now: Date) -> Bool {
        guard DeploymentUtil.hasProgressDeadline(d), let c = get(s, "Progressing") else { return false }
        switch c["reason"]?.stringValue {
        case "NewReplicaSetAvailable": return false
        case "ProgressDeadlineExceeded": return true
        default: break
        }
        guard let from = c["lastUpdateTime"]?.stringValue.flatMap(Timestamp.parse),
              let deadline = d[path: ["spec", "progressDeadlineSeconds"]]?.intValue else { return false }
        return from.addingTimeInterval(TimeInterval(deadline)) < now
    }
}
