import Foundation
import KubeModel

/// The outcome of all of an HPA's metrics (horizontal.go `computeReplicasForMetrics`).
public struct MetricsProposal: Sendable, Equatable {
    /// The largest count any metric proposed; -1 when the HPA must not scale on this reconcile.
    public var replicas: Int32
    /// The metric that proposed `replicas`, for ValidMetricFound and the rescale reason.
    public var metricName: String
    /// `status.currentMetrics`, one entry per spec metric; a failed metric leaves `{"type": ""}`,
    /// as Kubernetes' zero-valued MetricStatus serializes.
    public var statuses: [JSONValue]
    public var timestamp: Date?
    /// Set when a metric failed, even if the others still allow scaling; the controller then
    /// scales but reports the error.
    public var error: String?
    /// The ScalingActive condition to set, if any.
    public var scalingActive: HPAConditionUpdate?
    /// Warning events for the metrics that failed.
    public var events: [HPAEvent]
}

extension ReplicaCalculator {
    /// Computes every metric and takes the largest proposal. A metric that fails does not stop
    /// the others from scaling up, but it forbids scaling down: without it the controller
    /// cannot know the HPA would not need the pods. `specReplicas` is the target's
    /// `spec.replicas` from its scale subresource.
    public func computeReplicasForMetrics(_ metricSpecs: [MetricSpec], specReplicas: Int32, tolerances: Tolerances = Tolerances(),
                                          pods: [Pod], metrics: ResourceMetricsReading, now: Date) -> MetricsProposal
    {
        var result = MetricsProposal(replicas: 0, metricName: "", statuses: [], timestamp: nil, error: nil, scalingActive: nil, events: [])
        var invalidCount = 0
        var firstInvalid: (condition: HPAConditionUpdate, error: String)?
        for spec in metricSpecs {
            switch computeReplicasForMetric(spec, specReplicas: specReplicas, tolerances: tolerances, pods: pods, metrics: metrics, now: now) {
            case .proposal(let replicas, let name, let timestamp, let status):
                result.statuses.append(status)
                if result.replicas == 0 || replicas > result.replicas {
                    result.replicas = replicas
                    result.metricName = name
                    result.timestamp = timestamp
                }
            case .failure(let condition, let event, let error):
                result.statuses.append(["type": ""])
                if let event { result.events.append(event) }
                if firstInvalid == nil { firstInvalid = (condition, error) }
                invalidCount += 1
            }
        }
        if let firstInvalid {
            result.error = "invalid metrics (\(invalidCount) invalid out of \(metricSpecs.count)), first error is: \(firstInvalid.error)"
        }
        // All metrics invalid, or some invalid and the rest would scale down: do nothing.
        if invalidCount >= metricSpecs.count || (invalidCount > 0 && result.replicas < specReplicas) {
            result.scalingActive = firstInvalid?.condition
            result.replicas = -1
            result.metricName = ""
            result.timestamp = nil
            return result
        }
        result.scalingActive = HPAConditionUpdate(.scalingActive, true, HPAReason.validMetricFound, HPAMessage.validMetricFound(result.metricName))
        return result
    }
}
