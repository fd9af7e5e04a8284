import Foundation

/// A scale change the controller made, remembered so the behavior policies can limit how much
/// more may change within their periods (horizontal.go `timestampedScaleEvent`).
struct TimestampedScaleEvent: Sendable, Equatable {
    /// How many replicas were added (in the scale-up list) or removed (scale-down list); never negative.
    var replicaChange: Int32
    var timestamp: Date
    /// Older than every policy period: free to be overwritten by the next event.
    var outdated: Bool

    init(_ replicaChange: Int32, _ timestamp: Date, _ outdated: Bool = false) {
        self.replicaChange = replicaChange
        self.timestamp = timestamp
        self.outdated = outdated
    }
}

/// getReplicasChangePerPeriod: the replicas changed by events newer than `periodSeconds` ago.
func replicasChangePerPeriod(_ periodSeconds: Int32, _ events: [TimestampedScaleEvent], now: Date) -> Int32 {
    let cutoff = now.addingTimeInterval(-TimeInterval(periodSeconds))
    var replicas: Int32 = 0
    for event in events where event.timestamp > cutoff { replicas &+= event.replicaChange }
    return replicas
}

/// markScaleEventsOutdated: flags events older than the longest policy period for reuse.
func markScaleEventsOutdated(_ events: inout [TimestampedScaleEvent], longestPolicyPeriod: Int32, now: Date) {
    let cutoff = now.addingTimeInterval(-TimeInterval(longestPolicyPeriod))
    for i in events.indices where events[i].timestamp < cutoff { events[i].outdated = true }
}

extension HPAHistory {
    /// storeScaleEvent: records a rescale in its direction's list, overwriting the last outdated
    /// event rather than growing the list. Without a behavior nothing is stored: the legacy rules
    /// do not look at history.
    public mutating func storeScaleEvent(behavior: HPABehavior?, prevReplicas: Int32, newReplicas: Int32, now: Date) {
        guard let behavior else { return }
        if newReplicas > prevReplicas {
            Self.store(&scaleUpEvents, TimestampedScaleEvent(newReplicas &- prevReplicas, now), longest: behavior.scaleUp.longestPolicyPeriod, now: now)
        } else {
            Self.store(&scaleDownEvents, TimestampedScaleEvent(prevReplicas &- newReplicas, now), longest: behavior.scaleDown.longestPolicyPeriod, now: now)
        }
    }

    private static func store(_ events: inout [TimestampedScaleEvent], _ event: TimestampedScaleEvent, longest: Int32, now: Date) {
        markScaleEventsOutdated(&events, longestPolicyPeriod: longest, now: now)
        if let reuse = events.lastIndex(where: \.outdated) {
            events[reuse] = event
        } else {
            events.append(event)
        }
    }
}
