import Foundation

/// How far one reconcile may move the replica count (horizontal.go `convertDesiredReplicasWithRules`,
/// `convertDesiredReplicasWithBehaviorRate` and the scale limit calculations).

/// Legacy rule: at most double the current count, and never less than 4, per reconcile, so a
/// bogus usage spike cannot explode the count (kubernetes#32304).
func calculateScaleUpLimit(_ currentReplicas: Int32) -> Int32 {
    Int32(clamping: Int64(max(2.0 * Double(currentReplicas), 4.0)))
}

/// Legacy clamping between minReplicas and the lower of maxReplicas and the scale-up limit,
/// with the ScalingLimited reason and message that explain it.
func convertDesiredReplicasWithRules(currentReplicas: Int32, desiredReplicas: Int32, minReplicas: Int32, maxReplicas: Int32) -> (Int32, String, String) {
    let scaleUpLimit = calculateScaleUpLimit(currentReplicas)
    let maximumAllowed: Int32
    var limiting: (String, String)
    if maxReplicas > scaleUpLimit {
        maximumAllowed = scaleUpLimit
        limiting = (HPAReason.scaleUpLimit, HPAMessage.scaleUpLimit)
    } else {
        maximumAllowed = maxReplicas
        limiting = (HPAReason.tooManyReplicas, HPAMessage.tooManyReplicas)
    }
    if desiredReplicas < minReplicas {
        limiting = (HPAReason.tooFewReplicas, HPAMessage.tooFewReplicas)
        return (minReplicas, limiting.0, limiting.1)
    } else if desiredReplicas > maximumAllowed {
        return (maximumAllowed, limiting.0, limiting.1)
    }
    return (desiredReplicas, HPAReason.desiredWithinRange, HPAMessage.desiredWithinRange)
}

/// The count each policy allows, measured from the count at the start of its period (the
/// current count with the period's scale-ups taken back and scale-downs put back), combined
/// by the select policy: `Max` allows the most growth, `Min` the least.
func calculateScaleUpLimitWithScalingRules(currentReplicas: Int32, scaleUpEvents: [TimestampedScaleEvent],
                                           scaleDownEvents: [TimestampedScaleEvent], rules: HPAScalingRules, now: Date) -> Int32
{
    if rules.selectPolicy == .disabled { return currentReplicas }
    var result: Int32 = rules.selectPolicy == .min ? Int32.max : Int32.min
    for policy in rules.policies {
        let added = replicasChangePerPeriod(policy.periodSeconds, scaleUpEvents, now: now)
        let deleted = replicasChangePerPeriod(policy.periodSeconds, scaleDownEvents, now: now)
        let periodStart = currentReplicas &- added &+ deleted
        let proposed: Int32
        switch policy.type {
        case .pods: proposed = periodStart &+ policy.value
        // Rounded up, or a small percentage of a small count would never add a pod.
        case .percent: proposed = ceilInt32(Double(periodStart) * (1 + Double(policy.value) / 100))
        }
        result = rules.selectPolicy == .min ? min(result, proposed) : max(result, proposed)
    }
    return result
}

/// The scale-down counterpart: `Max` allows the most removal (the lowest count), `Min` the least.
func calculateScaleDownLimitWithBehaviors(currentReplicas: Int32, scaleUpEvents: [TimestampedScaleEvent],
                                          scaleDownEvents: [TimestampedScaleEvent], rules: HPAScalingRules, now: Date) -> Int32
{
    if rules.selectPolicy == .disabled { return currentReplicas }
    var result: Int32 = rules.selectPolicy == .min ? Int32.min : Int32.max
    for policy in rules.policies {
        let added = replicasChangePerPeriod(policy.periodSeconds, scaleUpEvents, now: now)
        let deleted = replicasChangePerPeriod(policy.periodSeconds, scaleDownEvents, now: now)
        let periodStart = currentReplicas &- added &+ deleted
        let proposed: Int32
        switch policy.type {
        case .pods: proposed = periodStart &- policy.value
        case .percent: proposed = truncInt32(Double(periodStart) * (1 - Double(policy.value) / 100))
        }
        result = rules.selectPolicy == .min ? max(result, proposed) : min(result, proposed)
    }
    return result
}

extension HPAHistory {
    /// convertDesiredReplicasWithBehaviorRate: clamps to the policies' rate and to min/max
    /// replicas. Stabilization is applied before, separately.
    func convertDesiredReplicasWithBehaviorRate(_ args: NormalizationArg, now: Date) -> (Int32, String, String) {
        if args.desiredReplicas > args.currentReplicas {
            var scaleUpLimit = calculateScaleUpLimitWithScalingRules(currentReplicas: args.currentReplicas, scaleUpEvents: scaleUpEvents,
                                                                     scaleDownEvents: scaleDownEvents, rules: args.scaleUp, now: now)
            // Recent scale-ups under a since-tightened policy must not push the count down.
            if scaleUpLimit < args.currentReplicas { scaleUpLimit = args.currentReplicas }
            var maximumAllowed = args.maxReplicas
            var limiting = (HPAReason.tooManyReplicas, HPAMessage.tooManyReplicas)
            if maximumAllowed > scaleUpLimit {
                maximumAllowed = scaleUpLimit
                limiting = (HPAReason.scaleUpLimit, HPAMessage.scaleUpLimit)
            }
            if args.desiredReplicas > maximumAllowed { return (maximumAllowed, limiting.0, limiting.1) }
        } else if args.desiredReplicas < args.currentReplicas {
            var scaleDownLimit = calculateScaleDownLimitWithBehaviors(currentReplicas: args.currentReplicas, scaleUpEvents: scaleUpEvents,
                                                                      scaleDownEvents: scaleDownEvents, rules: args.scaleDown, now: now)
            // Likewise, recent scale-downs must not push the count up.
            if scaleDownLimit > args.currentReplicas { scaleDownLimit = args.currentReplicas }
            var minimumAllowed = args.minReplicas
            var limiting = (HPAReason.tooFewReplicas, HPAMessage.tooFewReplicas)
            if minimumAllowed < scaleDownLimit {
                minimumAllowed = scaleDownLimit
                limiting = (HPAReason.scaleDownLimit, HPAMessage.scaleDownLimit)
            }
            if args.desiredReplicas < minimumAllowed { return (minimumAllowed, limiting.0, limiting.1) }
        }
        return (args.desiredReplicas, HPAReason.desiredWithinRange, HPAMessage.desiredWithinRange)
    }
}

/// `int32(x)` (truncation toward zero) without trapping.
func truncInt32(_ x: Double) -> Int32 {
    let t = x.rounded(.towardZero)
    if t.isNaN { return 0 }
    return Int32(max(Double(Int32.min), min(Double(Int32.max), t)))
}
