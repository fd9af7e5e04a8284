import Foundation
import KubeModel

/// `status` of a ReplicaSet from the pods it owns, as `calculateStatus` computes it.
enum ReplicaSetStatus {
    static func calculate(_ rs: JSONValue, pods: [JSONValue], now: Date, failure: (any Error)?) -> JSONValue {
        let spec = ReplicaSet(rs).spec
        let templateLabels = spec.template.metadata.labels
        let minReady = spec.minReadySeconds
        var fullyLabeled = 0, ready = 0, available = 0
        for pod in pods {
            let labels = pod.metaLabels
            if templateLabels.allSatisfy({ labels[$0.key] == $0.value }) { fullyLabeled += 1 }
            if PodConditions.isReady(pod) {
                ready += 1
                if PodConditions.isAvailable(pod, minReadySeconds: minReady, now: now) { available += 1 }
            }
        }
        var status: JSONValue = ["replicas": .int(Int64(pods.count)), "fullyLabeledReplicas": .int(Int64(fullyLabeled))]
        if ready > 0 { status["readyReplicas"] = .int(Int64(ready)) }
        if available > 0 { status["availableReplicas"] = .int(Int64(available)) }
        var conditions = ReplicaSet(rs).status.conditions.filter { $0.type != "ReplicaFailure" }.map(\.json)
        if let failure {
            let existing = rs.condition("ReplicaFailure")
            let isCreate = (spec.replicas ?? 1) > Int64(pods.count)
            conditions.append([
                "type": "ReplicaFailure", "status": "True",
                "reason": .string(isCreate ? "FailedCreate" : "FailedDelete"),
                "message": .string((failure as? CustomStringConvertible)?.description ?? "\(failure)"),
                "lastTransitionTime": existing?["lastTransitionTime"] ?? .string(Timestamp.format(now)),
            ])
        }
        if !conditions.isEmpty { status["conditions"] = .array(conditions) }
        return status
    }

    /// Equal but for fields the API server leaves out when zero.
    static func same(_ a: JSONValue, _ b: JSONValue) -> Bool {
        func norm(_ v: JSONValue) -> JSONValue {
            guard case .object(var o) = v else { return v }
            for (k, x) in o where x == .int(0) && k != "replicas" { o[k] = nil }
            return .object(o)
        }
        return norm(a) == norm(b)
    }
}
