import Foundation

/// What the controller remembers of one HPA between reconciles, in memory only as
/// kube-controller-manager keeps it (a restart forgets it): the recent unstabilized
/// recommendations, for the stabilization windows, and the recent scale events, for the
/// behavior policies. The controller keeps one per HPA key and drops it when the HPA is deleted.
public struct HPAHistory: Sendable, Equatable {
    /// nil until the first reconcile records the current replica count.
    var recommendations: [TimestampedRecommendation]?
    var scaleUpEvents: [TimestampedScaleEvent] = []
    var scaleDownEvents: [TimestampedScaleEvent] = []

    public init() {}

    init(recommendations: [TimestampedRecommendation]?, scaleUpEvents: [TimestampedScaleEvent] = [], scaleDownEvents: [TimestampedScaleEvent] = []) {
        self.recommendations = recommendations
        self.scaleUpEvents = scaleUpEvents
        self.scaleDownEvents = scaleDownEvents
    }

    /// recordInitialRecommendation: the current count is the first recommendation, so a new
    /// controller does not scale down at once on a freshly seen HPA.
    public mutating func recordInitialRecommendation(currentReplicas: Int32, now: Date) {
        if recommendations == nil { recommendations = [TimestampedRecommendation(currentReplicas, now)] }
    }
}

/// A replica count the metrics asked for at some time, before stabilization.
struct TimestampedRecommendation: Sendable, Equatable {
    var recommendation: Int32
    var timestamp: Date

    init(_ recommendation: Int32, _ timestamp: Date) {
        self.recommendation = recommendation
        self.timestamp = timestamp
    }
}
