import Foundation
import Testing
@testable import Controllers

/// TestNormalizeDesiredReplicas and TestNormalizeDesiredReplicasWithBehavior from horizontal_test.go.
struct StabilizationTests {
    typealias B = BehaviorFixtures
    static func recs(_ list: [(Int32, TimeInterval)]) -> [TimestampedRecommendation] {
        list.map { TimestampedRecommendation($0.0, B.ago($0.1)) }
    }

    struct LegacyCase: Sendable, CustomTestStringConvertible {
        var name: String
        var recommendations: [TimestampedRecommendation]
        var desired: Int32
        var expected: Int32
        var logLength: Int
        var testDescription: String { name }
    }

    static let legacyCases: [LegacyCase] = [
        LegacyCase(name: "empty log", recommendations: [], desired: 5, expected: 5, logLength: 1),
        LegacyCase(name: "stabilize", recommendations: recs([(4, 120), (5, 60)]), desired: 3, expected: 5, logLength: 3),
        LegacyCase(name: "no stabilize", recommendations: recs([(1, 120), (2, 60)]), desired: 3, expected: 3, logLength: 3),
        LegacyCase(name: "no stabilize - old recommendations", recommendations: recs([(10, 600), (9, 540)]), desired: 3, expected: 3, logLength: 2),
        LegacyCase(name: "stabilize - old recommendations", recommendations: recs([(10, 600), (4, 60), (5, 120), (9, 540)]), desired: 3,
                   expected: 5, logLength: 4),
    ]

    @Test(arguments: legacyCases)
    func legacyStabilization(_ tc: LegacyCase) {
        var history = HPAHistory(recommendations: tc.recommendations)
        #expect(history.stabilizeRecommendation(tc.desired, window: 300, now: B.now) == tc.expected)
        #expect(history.recommendations?.count == tc.logLength)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var recommendations: [TimestampedRecommendation]
        var current: Int32
        var desired: Int32
        var expected: Int32
        var expectedRecommendations: [Int32]? = nil
        var upWindow: Int32 = 0
        var downWindow: Int32 = 0
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "empty recommendations for scaling down", recommendations: [], current: 100, desired: 5, expected: 5, expectedRecommendations: [5]),
        Case(name: "simple scale down stabilization", recommendations: recs([(4, 120), (5, 60)]), current: 100, desired: 3, expected: 5,
             expectedRecommendations: [4, 5, 3], downWindow: 180),
        Case(name: "simple scale up stabilization", recommendations: recs([(4, 120), (5, 60)]), current: 1, desired: 7, expected: 4,
             expectedRecommendations: [4, 5, 7], upWindow: 300),
        Case(name: "no scale down stabilization", recommendations: recs([(1, 120), (2, 60)]), current: 100, desired: 3, expected: 3,
             expectedRecommendations: [1, 2, 3], upWindow: 300),
        Case(name: "no scale up stabilization", recommendations: recs([(4, 120), (5, 60)]), current: 1, desired: 3, expected: 3,
             expectedRecommendations: [4, 5, 3], downWindow: 300),
        Case(name: "no scale down stabilization, reuse recommendation element", recommendations: recs([(10, 600), (9, 540)]), current: 100,
             desired: 3, expected: 3, expectedRecommendations: [10, 3]),
        Case(name: "no scale up stabilization, reuse recommendation element", recommendations: recs([(10, 600), (9, 540)]), current: 1,
             desired: 100, expected: 100, expectedRecommendations: [10, 100]),
        Case(name: "scale down stabilization, reuse one of obsolete recommendation element",
             recommendations: recs([(10, 600), (4, 60), (5, 120), (9, 540)]), current: 100, desired: 3, expected: 5,
             expectedRecommendations: [10, 4, 5, 3], downWindow: 180),
        Case(name: "scale up stabilization, reuse one of obsolete recommendation element",
             recommendations: recs([(10, 6000), (6, 60), (5, 120), (9, 180)]), current: 1, desired: 100, expected: 5,
             expectedRecommendations: [100, 6, 5, 9], upWindow: 300),
        Case(name: "scale up and down stabilization, do not scale up when prenormalized rec goes down",
             recommendations: recs([(2, 6000), (3, 180)]), current: 2, desired: 1, expected: 2, upWindow: 300, downWindow: 300),
        Case(name: "scale up and down stabilization, do not scale down when prenormalized rec goes up",
             recommendations: recs([(2, 6000), (1, 180)]), current: 2, desired: 3, expected: 2, upWindow: 300, downWindow: 300),
    ]

    @Test(arguments: cases)
    func stabilizationWithBehaviors(_ tc: Case) {
        var history = HPAHistory(recommendations: tc.recommendations)
        let args = NormalizationArg(scaleUp: HPAScalingRules(stabilizationWindowSeconds: tc.upWindow, policies: []),
                                    scaleDown: HPAScalingRules(stabilizationWindowSeconds: tc.downWindow, policies: []),
                                    minReplicas: 0, maxReplicas: 0, currentReplicas: tc.current, desiredReplicas: tc.desired)
        let (replicas, _, _) = history.stabilizeRecommendationWithBehaviors(args, now: B.now)
        #expect(replicas == tc.expected)
        if let expected = tc.expectedRecommendations {
            #expect(history.recommendations?.map(\.recommendation) == expected)
        }
    }

    /// Normalization sets AbleToScale and ScalingLimited as horizontal.go does.
    @Test func normalizeWithBehaviorsSetsConditions() {
        var history = HPAHistory(recommendations: Self.recs([(8, 60)]))
        let r = history.normalizeDesiredReplicasWithBehaviors(behavior: HPABehavior(), currentReplicas: 10, prenormalizedDesiredReplicas: 2,
                                                              minReplicas: 1, maxReplicas: 20, downscaleStabilizationWindow: 300, now: B.now)
        #expect(r.desiredReplicas == 8)
        #expect(r.ableToScale == HPAConditionUpdate(.ableToScale, true, "ScaleDownStabilized", HPAMessage.scaleDownStabilized))
        #expect(r.scalingLimited == HPAConditionUpdate(.scalingLimited, false, "DesiredWithinRange", "the desired count is within the acceptable range"))
    }

    @Test func legacyNormalizeLimitsScaleUp() {
        var history = HPAHistory()
        let r = history.normalizeDesiredReplicas(currentReplicas: 3, prenormalizedDesiredReplicas: 50, minReplicas: 1, maxReplicas: 100,
                                                 downscaleStabilizationWindow: 300, now: B.now)
        #expect(r.desiredReplicas == 6)
        #expect(r.ableToScale == HPAConditionUpdate(.ableToScale, true, "ReadyForNewScale", "recommended size matches current size"))
        #expect(r.scalingLimited == HPAConditionUpdate(.scalingLimited, true, "ScaleUpLimit", HPAMessage.scaleUpLimit))
    }
}
