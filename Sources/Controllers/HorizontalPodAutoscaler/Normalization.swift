import Foundation

/// What normalization works on (horizontal.go `NormalizationArg`), the behavior already filled in.
struct NormalizationArg: Sendable, Equatable {
    var scaleUp: HPAScalingRules
    var scaleDown: HPAScalingRules
    var minReplicas: Int32
    var maxReplicas: Int32
    var currentReplicas: Int32
    var desiredReplicas: Int32
}

/// The replica count to apply after stabilization and limits, and the AbleToScale and
/// ScalingLimited conditions that explain it.
public struct NormalizationResult: Sendable, Equatable {
    public var desiredReplicas: Int32
    public var ableToScale: HPAConditionUpdate
    public var scalingLimited: HPAConditionUpdate
}

extension HPAHistory {
    /// normalizeDesiredReplicas, for an HPA without `spec.behavior`: the downscale stabilization
    /// window (`--horizontal-pod-autoscaler-downscale-stabilization`), then min/max replicas and
    /// the legacy scale-up limit of max(2 × current, 4).
    public mutating func normalizeDesiredReplicas(currentReplicas: Int32, prenormalizedDesiredReplicas: Int32, minReplicas: Int32,
                                                  maxReplicas: Int32, downscaleStabilizationWindow: TimeInterval, now: Date) -> NormalizationResult
    {
        let stabilized = stabilizeRecommendation(prenormalizedDesiredReplicas, window: downscaleStabilizationWindow, now: now)
        let ableToScale = stabilized != prenormalizedDesiredReplicas
            ? HPAConditionUpdate(.ableToScale, true, HPAReason.scaleDownStabilized, HPAMessage.scaleDownStabilized)
            : HPAConditionUpdate(.ableToScale, true, HPAReason.readyForNewScale, HPAMessage.readyForNewScale)
        let (desired, reason, message) = convertDesiredReplicasWithRules(currentReplicas: currentReplicas, desiredReplicas: stabilized,
                                                                         minReplicas: minReplicas, maxReplicas: maxReplicas)
        let limited = HPAConditionUpdate(.scalingLimited, desired != stabilized, reason, message)
        return NormalizationResult(desiredReplicas: desired, ableToScale: ableToScale, scalingLimited: limited)
    }

    /// normalizeDesiredReplicasWithBehaviors: the behavior's stabilization windows (the scale-down
    /// one defaulting to the controller's flag), then its rate policies and min/max replicas.
    public mutating func normalizeDesiredReplicasWithBehaviors(behavior: HPABehavior, currentReplicas: Int32, prenormalizedDesiredReplicas: Int32,
                                                               minReplicas: Int32, maxReplicas: Int32,
                                                               downscaleStabilizationWindow: TimeInterval, now: Date) -> NormalizationResult
    {
        var scaleDown = behavior.scaleDown
        if scaleDown.stabilizationWindowSeconds == nil {
            scaleDown.stabilizationWindowSeconds = Int32(clamping: Int64(downscaleStabilizationWindow))
        }
        var args = NormalizationArg(scaleUp: behavior.scaleUp, scaleDown: scaleDown, minReplicas: minReplicas, maxReplicas: maxReplicas,
                                    currentReplicas: currentReplicas, desiredReplicas: prenormalizedDesiredReplicas)
        let (stabilized, stabilizedReason, stabilizedMessage) = stabilizeRecommendationWithBehaviors(args, now: now)
        args.desiredReplicas = stabilized
        let ableToScale = stabilized != prenormalizedDesiredReplicas
            ? HPAConditionUpdate(.ableToScale, true, stabilizedReason, stabilizedMessage)
            : HPAConditionUpdate(.ableToScale, true, HPAReason.readyForNewScale, HPAMessage.readyForNewScale)
        let (desired, reason, message) = convertDesiredReplicasWithBehaviorRate(args, now: now)
        let limited = HPAConditionUpdate(.scalingLimited, desired != stabilized, reason, message)
        return NormalizationResult(desiredReplicas: desired, ableToScale: ableToScale, scalingLimited: limited)
    }
}
