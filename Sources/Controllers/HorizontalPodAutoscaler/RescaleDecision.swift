import Foundation

/// The decision of one reconcile, before any write (the pure middle of horizontal.go
/// `reconcileAutoscaler`): what to set the target's scale to, why, and the conditions to set.
/// Writing the scale, the SucceededRescale/FailedUpdateScale condition, the events and
/// `storeScaleEvent` after a successful write stay with the controller.
public struct RescaleDecision: Sendable, Equatable {
    /// The count to write when `rescale`; otherwise what `status.desiredReplicas` reports.
    public var desiredReplicas: Int32
    public var rescale: Bool
    /// For the SuccessfulRescale / FailedRescale event message.
    public var rescaleReason: String
    /// To apply in order to `status.conditions`.
    public var conditions: [HPAConditionUpdate]
    /// nil when the metrics were not consulted (scaling disabled, or outside min/max).
    public var metrics: MetricsProposal?
    /// Set when no metric allowed a decision: the controller records FailedComputeMetricsReplicas,
    /// keeps its desired count, and returns the error.
    public var failedComputeMetrics: String?
}

extension HPAHistory {
    /// Decides the replica count for an HPA whose target has `currentReplicas` (the scale's
    /// `spec.replicas`). `computeMetrics` is only called when the count is within min/max.
    public mutating func decideScale(currentReplicas: Int32, minReplicas: Int32, maxReplicas: Int32, behavior: HPABehavior?,
                                     downscaleStabilizationWindow: TimeInterval, now: Date,
                                     computeMetrics: () -> MetricsProposal) -> RescaleDecision
    {
        recordInitialRecommendation(currentReplicas: currentReplicas, now: now)
        if currentReplicas == 0 && minReplicas != 0 {
            // Someone scaled the target to zero: autoscaling is off until they scale it up.
            return RescaleDecision(desiredReplicas: currentReplicas, rescale: false, rescaleReason: "",
                                   conditions: [HPAConditionUpdate(.scalingActive, false, HPAReason.scalingDisabled, HPAMessage.scalingDisabled)],
                                   metrics: nil, failedComputeMetrics: nil)
        }
        if currentReplicas > maxReplicas {
            return RescaleDecision(desiredReplicas: maxReplicas, rescale: true, rescaleReason: HPAEvents.aboveMaxReplicas,
                                   conditions: [], metrics: nil, failedComputeMetrics: nil)
        }
        if currentReplicas < minReplicas {
            return RescaleDecision(desiredReplicas: minReplicas, rescale: true, rescaleReason: HPAEvents.belowMinReplicas,
                                   conditions: [], metrics: nil, failedComputeMetrics: nil)
        }

        let metrics = computeMetrics()
        var conditions: [HPAConditionUpdate] = metrics.scalingActive.map { [$0] } ?? []
        if metrics.replicas == -1 {
            return RescaleDecision(desiredReplicas: currentReplicas, rescale: false, rescaleReason: "", conditions: conditions,
                                   metrics: metrics, failedComputeMetrics: metrics.error ?? "")
        }
        var desired: Int32 = 0
        var rescaleMetric = ""
        if metrics.replicas > desired {
            desired = metrics.replicas
            rescaleMetric = metrics.metricName
        }
        var reason = ""
        if desired > currentReplicas { reason = HPAEvents.aboveTarget(rescaleMetric) }
        if desired < currentReplicas { reason = HPAEvents.allMetricsBelowTarget }

        let normalized: NormalizationResult
        if let behavior {
            normalized = normalizeDesiredReplicasWithBehaviors(behavior: behavior, currentReplicas: currentReplicas, prenormalizedDesiredReplicas: desired,
                                                               minReplicas: minReplicas, maxReplicas: maxReplicas,
                                                               downscaleStabilizationWindow: downscaleStabilizationWindow, now: now)
        } else {
            normalized = normalizeDesiredReplicas(currentReplicas: currentReplicas, prenormalizedDesiredReplicas: desired, minReplicas: minReplicas,
                                                  maxReplicas: maxReplicas, downscaleStabilizationWindow: downscaleStabilizationWindow, now: now)
        }
        conditions += [normalized.ableToScale, normalized.scalingLimited]
        let rescale = normalized.desiredReplicas != currentReplicas
        return RescaleDecision(desiredReplicas: rescale ? normalized.desiredReplicas : currentReplicas, rescale: rescale, rescaleReason: reason,
                               conditions: conditions, metrics: metrics, failedComputeMetrics: nil)
    }
}
