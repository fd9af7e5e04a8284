import Foundation
import Testing
@testable import Controllers

/// TestStoreScaleEvents from horizontal_test.go, in both directions.
struct ScaleEventsTests {
    typealias B = BehaviorFixtures
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var previous: [TimestampedScaleEvent]
        /// (replicaChange, outdated) after storing a change of 5.
        var stored: [(Int32, Bool)]
        var rules: HPAScalingRules?
        var expectedChange: Int32
        var testDescription: String { name }
    }

    static func ev(_ change: Int32, _ secondsAgo: TimeInterval) -> TimestampedScaleEvent { TimestampedScaleEvent(change, B.ago(secondsAgo)) }

    static let cases: [Case] = [
        Case(name: "empty entries with default behavior", previous: [], stored: [], rules: nil, expectedChange: 0),
        Case(name: "empty entries with two-policy-behavior", previous: [], stored: [(5, false)], rules: B.rules(10, 60, 100, 60, 0), expectedChange: 0),
        Case(name: "one outdated entry to be kept untouched without behavior", previous: [ev(7, 61)], stored: [(7, false)], rules: nil,
             expectedChange: 0),
        Case(name: "one outdated entry to be replaced with behavior", previous: [ev(7, 61)], stored: [(5, false)],
             rules: B.rules(10, 60, 100, 60, 0), expectedChange: 0),
        Case(name: "one actual entry to be not touched with behavior", previous: [ev(7, 58)], stored: [(7, false), (5, false)],
             rules: B.rules(10, 60, 100, 60, 0), expectedChange: 7),
        Case(name: "two entries, one of them to be replaced", previous: [ev(7, 61), ev(6, 59)], stored: [(5, false), (6, false)],
             rules: B.rules(10, 60, 0, 0, 0), expectedChange: 6),
        Case(name: "replace one entry, use policies with different periods", previous: [ev(8, 29), ev(6, 59), ev(7, 61), ev(9, 61)],
             stored: [(8, false), (6, false), (7, true), (5, false)], rules: B.rules(10, 60, 100, 30, 0), expectedChange: 14),
        Case(name: "two entries, both actual", previous: [ev(7, 58), ev(6, 59)], stored: [(7, false), (6, false), (5, false)],
             rules: B.rules(10, 120, 100, 30, 0), expectedChange: 13),
    ]

    @Test(arguments: cases)
    func storeScaleEvents(_ tc: Case) {
        #expect(replicasChangePerPeriod(60, tc.previous, now: B.now) == tc.expectedChange)

        var up = HPAHistory(recommendations: nil, scaleUpEvents: tc.previous)
        up.storeScaleEvent(behavior: tc.rules.map { HPABehavior(scaleUp: $0) }, prevReplicas: 10, newReplicas: 15, now: B.now)
        #expect(up.scaleUpEvents.map(\.replicaChange) == tc.stored.map(\.0), "up")
        #expect(up.scaleUpEvents.map(\.outdated) == tc.stored.map(\.1), "up outdated")

        var down = HPAHistory(recommendations: nil, scaleDownEvents: tc.previous)
        down.storeScaleEvent(behavior: tc.rules.map { HPABehavior(scaleDown: $0) }, prevReplicas: 10, newReplicas: 5, now: B.now)
        #expect(down.scaleDownEvents.map(\.replicaChange) == tc.stored.map(\.0), "down")
        #expect(down.scaleDownEvents.map(\.outdated) == tc.stored.map(\.1), "down outdated")
    }
}
