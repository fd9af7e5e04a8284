import Foundation
import Testing
@testable import Controllers

/// The reconcile's pure decision: disabled scaling, min/max correction, and normalization of
/// the metrics' proposal (horizontal.go reconcileAutoscaler).
struct RescaleDecisionTests {
    static let now = HPAFixtures.now
    static func proposal(_ replicas: Int32) -> MetricsProposal {
        MetricsProposal(replicas: replicas, metricName: "cpu resource utilization (percentage of request)", statuses: [], timestamp: nil,
                        error: nil, scalingActive: HPAConditionUpdate(.scalingActive, true, "ValidMetricFound", "m"), events: [])
    }

    @Test func zeroReplicasDisablesScaling() {
        var h = HPAHistory()
        let d = h.decideScale(currentReplicas: 0, minReplicas: 1, maxReplicas: 5, behavior: nil, downscaleStabilizationWindow: 300, now: Self.now) {
            Issue.record("metrics must not be consulted")
            return Self.proposal(3)
        }
        #expect(!d.rescale)
        #expect(d.conditions == [HPAConditionUpdate(.scalingActive, false, "ScalingDisabled", "scaling is disabled since the replica count of the target is zero")])
    }

    @Test func aboveMaxAndBelowMin() {
        var h = HPAHistory()
        let above = h.decideScale(currentReplicas: 9, minReplicas: 1, maxReplicas: 5, behavior: nil, downscaleStabilizationWindow: 300, now: Self.now) { Self.proposal(9) }
        #expect(above.desiredReplicas == 5 && above.rescale && above.rescaleReason == "Current number of replicas above Spec.MaxReplicas")
        let below = h.decideScale(currentReplicas: 1, minReplicas: 2, maxReplicas: 5, behavior: nil, downscaleStabilizationWindow: 300, now: Self.now) { Self.proposal(1) }
        #expect(below.desiredReplicas == 2 && below.rescaleReason == "Current number of replicas below Spec.MinReplicas")
    }

    @Test func scaleUpThenStabilizedScaleDown() {
        var h = HPAHistory()
        let up = h.decideScale(currentReplicas: 3, minReplicas: 1, maxReplicas: 10, behavior: HPABehavior(), downscaleStabilizationWindow: 300,
                               now: Self.now) { Self.proposal(5) }
        #expect(up.desiredReplicas == 5 && up.rescale)
        #expect(up.rescaleReason == "cpu resource utilization (percentage of request) above target")
        h.storeScaleEvent(behavior: HPABehavior(), prevReplicas: 3, newReplicas: 5, now: Self.now)

        let later = Self.now.addingTimeInterval(60)
        let down = h.decideScale(currentReplicas: 5, minReplicas: 1, maxReplicas: 10, behavior: HPABehavior(), downscaleStabilizationWindow: 300,
                                 now: later) { Self.proposal(2) }
        // The recommendation of 5 a minute ago holds the count within the 300 s window.
        #expect(down.desiredReplicas == 5 && !down.rescale)
        #expect(down.rescaleReason == "All metrics below target")
        #expect(down.conditions.map(\.reason) == ["ValidMetricFound", "ScaleDownStabilized", "DesiredWithinRange"])
    }

    @Test func failedMetricsKeepTheCount() {
        var h = HPAHistory()
        var failed = Self.proposal(-1)
        failed.error = "invalid metrics (1 invalid out of 1), first error is: x"
        let d = h.decideScale(currentReplicas: 4, minReplicas: 1, maxReplicas: 10, behavior: nil, downscaleStabilizationWindow: 300, now: Self.now) { failed }
        #expect(!d.rescale && d.desiredReplicas == 4)
        #expect(d.failedComputeMetrics == "invalid metrics (1 invalid out of 1), first error is: x")
    }
}
