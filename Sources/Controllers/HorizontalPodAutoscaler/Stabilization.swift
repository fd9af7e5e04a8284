import Foundation

/// The stabilization windows (horizontal.go `stabilizeRecommendation`,
/// `stabilizeRecommendationWithBehaviors`): a count is only applied once the metrics have
/// asked for at least that much (scale up) or at most that much (scale down) for the whole
/// window, which stops flapping when load oscillates.
extension HPAHistory {
    /// Legacy rule (no `spec.behavior`): the highest recommendation of the last `window`
    /// seconds, this one included. The new recommendation overwrites the last expired one.
    mutating func stabilizeRecommendation(_ prenormalized: Int32, window: TimeInterval, now: Date) -> Int32 {
        var maxRecommendation = prenormalized
        var oldSampleIndex: Int?
        let cutoff = now.addingTimeInterval(-window)
        var list = recommendations ?? []
        for (i, rec) in list.enumerated() {
            if rec.timestamp < cutoff {
                oldSampleIndex = i
            } else if rec.recommendation > maxRecommendation {
                maxRecommendation = rec.recommendation
            }
        }
        let entry = TimestampedRecommendation(prenormalized, now)
        if let i = oldSampleIndex { list[i] = entry } else { list.append(entry) }
        recommendations = list
        return maxRecommendation
    }

    /// With behaviors: the current count moves no further up than the lowest recommendation of
    /// the scale-up window, and no further down than the highest of the scale-down window.
    /// Returns the count with the AbleToScale reason and message to set when it differs from
    /// the recommendation.
    mutating func stabilizeRecommendationWithBehaviors(_ args: NormalizationArg, now: Date) -> (Int32, String, String) {
        var upRecommendation = args.desiredReplicas
        let upCutoff = now.addingTimeInterval(-TimeInterval(args.scaleUp.stabilizationWindowSeconds ?? 0))
        var downRecommendation = args.desiredReplicas
        let downCutoff = now.addingTimeInterval(-TimeInterval(args.scaleDown.stabilizationWindowSeconds ?? 0))

        var oldSampleIndex: Int?
        var list = recommendations ?? []
        for (i, rec) in list.enumerated() {
            if rec.timestamp > upCutoff { upRecommendation = min(rec.recommendation, upRecommendation) }
            if rec.timestamp > downCutoff { downRecommendation = max(rec.recommendation, downRecommendation) }
            if rec.timestamp < upCutoff && rec.timestamp < downCutoff { oldSampleIndex = i }
        }

        var recommendation = args.currentReplicas
        if recommendation < upRecommendation { recommendation = upRecommendation }
        if recommendation > downRecommendation { recommendation = downRecommendation }

        let entry = TimestampedRecommendation(args.desiredReplicas, now)
        if let i = oldSampleIndex { list[i] = entry } else { list.append(entry) }
        recommendations = list

        if args.desiredReplicas >= args.currentReplicas {
            return (recommendation, HPAReason.scaleUpStabilized, HPAMessage.scaleUpStabilized)
        }
        return (recommendation, HPAReason.scaleDownStabilized, HPAMessage.scaleDownStabilized)
    }
}
