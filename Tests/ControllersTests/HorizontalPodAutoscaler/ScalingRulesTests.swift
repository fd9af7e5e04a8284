import Foundation
import Testing
@testable import Controllers

/// TestScalingWithRules from horizontal_test.go: convertDesiredReplicasWithBehaviorRate.
struct ScalingRulesTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var scaleUpEvents: [TimestampedScaleEvent] = []
        var scaleDownEvents: [TimestampedScaleEvent] = []
        var min: Int32
        var max: Int32
        var up: HPAScalingRules? = nil
        var down: HPAScalingRules? = nil
        var current: Int32
        var desired: Int32
        var expected: Int32
        var condition: String
        var testDescription: String { name }
    }

    typealias B = BehaviorFixtures
    static let cases: [Case] = [
        Case(name: "prenormalized desired replicas within range", min: 3, max: 8, current: 5, desired: 7, expected: 7, condition: "DesiredWithinRange"),
        Case(name: "prenormalized desired replicas < minReplicas", min: 2, max: 8, current: 3, desired: 1, expected: 2, condition: "TooFewReplicas"),
        Case(name: "prenormalized desired replicas within range when minReplicas is 0", min: 0, max: 10, current: 1, desired: 0, expected: 0,
             condition: "DesiredWithinRange"),
        Case(name: "maxReplicas is the limit because maxReplicas < scaleUpLimit", min: 1, max: 10, current: 20, desired: 1000, expected: 10,
             condition: "TooManyReplicas"),
        Case(name: "desired replica count is more than the maximum replica count", min: 100, max: 150, current: 100, desired: 1000,
             expected: 150, condition: "TooManyReplicas"),
        Case(name: "scaleUpLimit is the limit because scaleUpLimit < maxReplicas with user policies", min: 1, max: 2000,
             up: B.rules(0, 0, 1, 60, 0), current: 3, desired: 1000, expected: 4, condition: "ScaleUpLimit"),
        Case(name: "scaleUp with default behavior", min: 1, max: 1000, current: 10, desired: 50, expected: 20, condition: "ScaleUpLimit"),
        Case(name: "scaleUp with pods policy larger than percent policy", min: 1, max: 1000, up: B.rules(100, 60, 100, 60, 0),
             current: 10, desired: 500, expected: 110, condition: "ScaleUpLimit"),
        Case(name: "scaleUp with percent policy larger than pods policy", min: 1, max: 1000, up: B.rules(2, 60, 100, 60, 0),
             current: 10, desired: 500, expected: 20, condition: "ScaleUpLimit"),
        Case(name: "scaleUp with spec MaxReplicas limitation with large pod policy", min: 1, max: 1000, up: B.rules(100, 60, 0, 0, 0),
             current: 10, desired: 50, expected: 50, condition: "DesiredWithinRange"),
        Case(name: "scaleUp with spec MaxReplicas limitation with large percent policy", min: 1, max: 1000, up: B.rules(10000, 60, 0, 0, 0),
             current: 10, desired: 50, expected: 50, condition: "DesiredWithinRange"),
        Case(name: "scaleUp with pod policy limitation", min: 1, max: 1000, up: B.rules(30, 60, 0, 0, 0), current: 10, desired: 50,
             expected: 40, condition: "ScaleUpLimit"),
        Case(name: "scaleUp with percent policy limitation", min: 1, max: 1000, up: B.rules(0, 0, 200, 60, 0), current: 10, desired: 50,
             expected: 30, condition: "ScaleUpLimit"),
        Case(name: "scaleDown with percent policy larger than pod policy", min: 1, max: 1000, down: B.rules(20, 60, 1, 60, 300),
             current: 100, desired: 2, expected: 80, condition: "ScaleDownLimit"),
        Case(name: "scaleDown with pod policy larger than percent policy", min: 1, max: 1000, down: B.rules(2, 60, 1, 60, 300),
             current: 100, desired: 2, expected: 98, condition: "ScaleDownLimit"),
        Case(name: "scaleDown with spec MinReplicas=nil limitation with large pod policy", min: 1, max: 1000, down: B.rules(100, 60, 0, 0, 300),
             current: 10, desired: 0, expected: 1, condition: "TooFewReplicas"),
        Case(name: "scaleDown with spec MinReplicas limitation with large percent policy", min: 5, max: 1000, down: B.rules(0, 0, 100, 60, 300),
             current: 10, desired: 2, expected: 5, condition: "TooFewReplicas"),
        Case(name: "scaleDown with pod policy limitation", min: 1, max: 1000, down: B.rules(5, 60, 0, 0, 300), current: 10, desired: 2,
             expected: 5, condition: "ScaleDownLimit"),
        Case(name: "scaleDown with percent policy limitation", min: 1, max: 1000, down: B.rules(0, 0, 50, 60, 300), current: 10, desired: 5,
             expected: 5, condition: "DesiredWithinRange"),
        Case(name: "scaleUp with spec MaxReplicas limitation with large pod policy and events", scaleUpEvents: B.events([1, 5, 9], 120),
             min: 1, max: 200, up: B.rules(300, 60, 0, 0, 0), current: 100, desired: 500, expected: 200, condition: "TooManyReplicas"),
        Case(name: "scaleUp with spec MaxReplicas limitation with large percent policy and events", scaleUpEvents: B.events([1, 5, 9], 120),
             min: 1, max: 200, up: B.rules(0, 0, 10000, 60, 0), current: 100, desired: 500, expected: 200, condition: "TooManyReplicas"),
        Case(name: "scaleUp with currentReplicas limitation with rate.PeriodSeconds with a lot of recent scale up events",
             scaleUpEvents: B.events([1, 5, 9], 120), min: 1, max: 1000, up: B.rules(5, 120, 0, 0, 0), current: 100, desired: 500,
             expected: 100, condition: "ScaleUpLimit"),
        Case(name: "scaleUp with pod policy and previous scale up events", scaleUpEvents: B.events([1, 5, 9], 120), min: 1, max: 1000,
             up: B.rules(150, 120, 0, 0, 0), current: 100, desired: 500, expected: 235, condition: "ScaleUpLimit"),
        Case(name: "scaleUp with percent policy and previous scale up events", scaleUpEvents: B.events([1, 5, 9], 120), min: 1, max: 1000,
             up: B.rules(0, 0, 200, 120, 0), current: 100, desired: 500, expected: 255, condition: "ScaleUpLimit"),
        Case(name: "scaleUp with percent policy and previous scale up and down events", scaleUpEvents: B.events([4], 120),
             scaleDownEvents: B.events([2], 120), min: 1, max: 1000, up: B.rules(0, 0, 300, 300, 0), current: 6, desired: 24, expected: 16,
             condition: "ScaleUpLimit"),
        Case(name: "scaleDown with default policy and previous events", scaleDownEvents: B.events([1, 5, 9], 120), min: 1, max: 1000,
             current: 10, desired: 5, expected: 5, condition: "DesiredWithinRange"),
        Case(name: "scaleDown with spec MinReplicas=nil limitation with large pod policy and previous events",
             scaleDownEvents: B.events([1, 5, 9], 120), min: 1, max: 1000, down: B.rules(115, 120, 0, 0, 300), current: 100, desired: 0,
             expected: 1, condition: "TooFewReplicas"),
        Case(name: "scaleDown with spec MinReplicas limitation with large pod policy and previous events",
             scaleDownEvents: B.events([1, 5, 9], 120), min: 5, max: 1000, down: B.rules(130, 120, 0, 0, 300), current: 100, desired: 0,
             expected: 5, condition: "TooFewReplicas"),
        Case(name: "scaleDown with spec MinReplicas limitation with large percent policy and previous events",
             scaleDownEvents: B.events([1, 5, 9], 120), min: 5, max: 1000, down: B.rules(0, 0, 100, 120, 300), current: 100, desired: 2,
             expected: 5, condition: "TooFewReplicas"),
        Case(name: "scaleDown with pod policy limitation and previous events", scaleDownEvents: B.events([1, 5, 9], 120), min: 1, max: 1000,
             down: B.rules(5, 120, 0, 0, 300), current: 100, desired: 2, expected: 100, condition: "ScaleDownLimit"),
        Case(name: "scaleDown with percent policy limitation and previous events", scaleDownEvents: B.events([2, 4, 6], 120), min: 1,
             max: 1000, down: B.rules(0, 0, 50, 120, 300), current: 100, desired: 0, expected: 56, condition: "ScaleDownLimit"),
        Case(name: "scaleDown with percent policy and previous scale up and down events", scaleUpEvents: B.events([2], 120),
             scaleDownEvents: B.events([4], 120), min: 1, max: 1000, down: B.rules(0, 0, 50, 180, 0), current: 10, desired: 1, expected: 6,
             condition: "ScaleDownLimit"),
        Case(name: "scaleDown with previous events preventing further scale down", scaleDownEvents: B.events([10, 10, 10], 120), min: 1,
             max: 1000, down: B.rules(0, 0, 10, 120, 300), current: 100, desired: 0, expected: 100, condition: "ScaleDownLimit"),
        Case(name: "scaleDown with with previous events still allowing more scale down", scaleDownEvents: B.events([10, 10, 10], 120),
             min: 1, max: 1000, down: B.rules(0, 0, 1000, 120, 300), current: 10, desired: 5, expected: 5, condition: "DesiredWithinRange"),
        Case(name: "check 'outdated' flag for events for one behavior for up", scaleUpEvents: B.events([8, 12, 9, 11], 120), min: 1,
             max: 1000, up: B.rules(1000, 60, 0, 0, 0), current: 100, desired: 200, expected: 200, condition: "DesiredWithinRange"),
        Case(name: "check that events were not marked 'outdated' for two different policies in the behavior for up",
             scaleUpEvents: B.events([8, 12, 9, 11], 120), min: 1, max: 1000, up: B.rules(1000, 120, 100, 60, 0), current: 100,
             desired: 200, expected: 200, condition: "DesiredWithinRange"),
        Case(name: "check that events were marked 'outdated' for two different policies in the behavior for up",
             scaleUpEvents: B.events([8, 12, 9, 11], 120), min: 1, max: 1000, up: B.rules(1000, 30, 100, 60, 0), current: 100,
             desired: 200, expected: 200, condition: "DesiredWithinRange"),
        Case(name: "check 'outdated' flag for events for one behavior for down", scaleDownEvents: B.events([8, 12, 9, 11], 120), min: 1,
             max: 1000, down: B.rules(1000, 60, 0, 0, 300), current: 100, desired: 5, expected: 5, condition: "DesiredWithinRange"),
        Case(name: "check that events were not marked 'outdated' for two different policies in the behavior for down",
             scaleDownEvents: B.events([8, 12, 9, 11], 120), min: 1, max: 1000, down: B.rules(1000, 120, 100, 60, 300), current: 100,
             desired: 5, expected: 5, condition: "DesiredWithinRange"),
        Case(name: "check that events were marked 'outdated' for two different policies in the behavior for down",
             scaleDownEvents: B.events([8, 12, 9, 11], 120), min: 1, max: 1000, down: B.rules(1000, 30, 100, 60, 300), current: 100,
             desired: 5, expected: 5, condition: "DesiredWithinRange"),
    ]

    @Test(arguments: cases)
    func scalingWithRules(_ tc: Case) {
        let history = HPAHistory(recommendations: nil, scaleUpEvents: tc.scaleUpEvents, scaleDownEvents: tc.scaleDownEvents)
        let args = NormalizationArg(scaleUp: tc.up ?? .defaultScaleUp, scaleDown: tc.down ?? .defaultScaleDown, minReplicas: tc.min,
                                    maxReplicas: tc.max, currentReplicas: tc.current, desiredReplicas: tc.desired)
        let (replicas, condition, _) = history.convertDesiredReplicasWithBehaviorRate(args, now: BehaviorFixtures.now)
        #expect(replicas == tc.expected)
        #expect(condition == tc.condition)
    }

    /// TestCalculateScaleUpLimitWithScalingRules / TestCalculateScaleDownLimitWithBehaviors.
    @Test func minSelectPolicy() {
        let rules = HPAScalingRules(stabilizationWindowSeconds: 300, selectPolicy: .min,
                                    policies: [HPAScalingPolicy(type: .pods, value: 2, periodSeconds: 60),
                                               HPAScalingPolicy(type: .percent, value: 50, periodSeconds: 60)])
        #expect(calculateScaleUpLimitWithScalingRules(currentReplicas: 1, scaleUpEvents: [], scaleDownEvents: [], rules: rules, now: B.now) == 2)
        #expect(calculateScaleDownLimitWithBehaviors(currentReplicas: 5, scaleUpEvents: [], scaleDownEvents: [], rules: rules, now: B.now) == 3)
    }

    @Test func disabledSelectPolicyKeepsTheCount() {
        var rules = HPAScalingRules.defaultScaleUp
        rules.selectPolicy = .disabled
        #expect(calculateScaleUpLimitWithScalingRules(currentReplicas: 7, scaleUpEvents: [], scaleDownEvents: [], rules: rules, now: B.now) == 7)
        #expect(calculateScaleDownLimitWithBehaviors(currentReplicas: 7, scaleUpEvents: [], scaleDownEvents: [], rules: rules, now: B.now) == 7)
    }
}
