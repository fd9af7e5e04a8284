import Foundation
import KubeModel

/// The band around a usage ratio of 1 inside which the autoscaler keeps the current replica
/// count (replica_calculator.go `Tolerances`). Each direction may differ: `spec.behavior.scaleUp.tolerance`
/// and `scaleDown.tolerance` (KEP-4951) override the controller's `--horizontal-pod-autoscaler-tolerance`.
public struct Tolerances: Sendable, Equatable {
    public var scaleDown: Double
    public var scaleUp: Double

    /// The controller's default, `--horizontal-pod-autoscaler-tolerance=0.1`.
    public static let defaultTolerance = 0.1

    public init(scaleDown: Double = Tolerances.defaultTolerance, scaleUp: Double = Tolerances.defaultTolerance) {
        self.scaleDown = scaleDown
        self.scaleUp = scaleUp
    }

    /// The tolerances an HPA asks for in `spec.behavior`, falling back to the controller's
    /// default for a direction that sets none (horizontal.go `tolerancesForHpa`).
    public init(behavior: HorizontalPodAutoscalerBehavior?, default tolerance: Double = Tolerances.defaultTolerance) {
        self.init(scaleDown: behavior?.scaleDown?.tolerance?.value ?? tolerance,
                  scaleUp: behavior?.scaleUp?.tolerance?.value ?? tolerance)
    }

    /// True when the ratio is close enough to 1 that no scaling should happen.
    public func isWithin(_ usageRatio: Double) -> Bool {
        (1.0 - scaleDown) <= usageRatio && usageRatio <= (1.0 + scaleUp)
    }
}
