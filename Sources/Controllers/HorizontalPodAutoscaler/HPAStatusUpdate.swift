import Foundation
import KubeClient
import KubeModel

/// An HPA's status as one reconcile rewrites it (setStatus, setCurrentReplicasAndMetricsInStatus
/// and setCondition in horizontal.go), written only when it changed (updateStatusIfNeeded).
struct HPAStatusUpdate {
    let object: JSONValue
    let now: Date
    var conditions: [JSONValue]
    var currentReplicas: Int32?
    /// nil keeps the last desired count (a reconcile that could not decide).
    var desiredReplicas: Int32?
    /// nil leaves the metrics out (none were read).
    var currentMetrics: [JSONValue]?
    var lastScaleTime: Date?

    init(_ object: JSONValue, now: Date) {
        self.object = object
        self.now = now
        conditions = HorizontalPodAutoscaler(object).status.conditions.map(\.json)
    }

    mutating func set(_ condition: HPAConditionUpdate) { conditions = condition.applied(to: conditions, now: now) }

    /// The status to write: the old one's desired count and last scale time unless replaced.
    var status: JSONValue {
        let old = HorizontalPodAutoscaler(object).status
        var s: JSONValue = [
            "currentReplicas": .int(currentReplicas.map(Int64.init) ?? old.currentReplicas),
            "desiredReplicas": .int(desiredReplicas.map(Int64.init) ?? old.desiredReplicas),
            "conditions": .array(conditions),
        ]
        if let currentMetrics, !currentMetrics.isEmpty { s["currentMetrics"] = .array(currentMetrics) }
        if let t = lastScaleTime ?? old.lastScaleTime { s["lastScaleTime"] = .string(Timestamp.format(t)) }
        return s
    }

    /// PUTs the status subresource when it differs; a conflict is thrown for a retry.
    func write(client: APIClient, recorder: EventRecorder) async throws {
        let s = status
        guard s != object["status"] else { return }
        var updated = object
        updated["status"] = s
        let r = HorizontalPodAutoscalerController.resource
        do {
            _ = try await client.call("PUT", r.path(namespace: object.metadata.namespace, name: object.metadata.name, subresource: "status"), body: updated)
        } catch {
            recorder.event(object, of: r, type: "Warning", reason: HPAEvents.failedUpdateStatus, message: HorizontalPodAutoscalerController.describe(error))
            throw error
        }
    }
}
