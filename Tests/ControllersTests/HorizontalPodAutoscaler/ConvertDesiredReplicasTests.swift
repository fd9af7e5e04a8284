import Foundation
import Testing
@testable import Controllers

/// TestConvertDesiredReplicasWithRules from horizontal_test.go (legacy limits).
struct ConvertDesiredReplicasTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var annotation: String
        var current: Int32, desired: Int32, min: Int32, max: Int32
        var expected: Int32
        var condition: String
        var testDescription: String { annotation }
    }

    static let cases: [Case] = [
        Case(annotation: "prenormalized desired replicas within range", current: 5, desired: 7, min: 3, max: 8, expected: 7,
             condition: "DesiredWithinRange"),
        Case(annotation: "prenormalized desired replicas < minReplicas", current: 3, desired: 1, min: 2, max: 8, expected: 2,
             condition: "TooFewReplicas"),
        Case(annotation: "prenormalized desired zeroed replicas within range", current: 1, desired: 0, min: 0, max: 10, expected: 0,
             condition: "DesiredWithinRange"),
        Case(annotation: "maxReplicas is the limit because maxReplicas < scaleUpLimit", current: 20, desired: 1000, min: 1, max: 10,
             expected: 10, condition: "TooManyReplicas"),
        Case(annotation: "scaleUpLimit is the limit because scaleUpLimit < maxReplicas", current: 3, desired: 1000, min: 1, max: 2000,
             expected: 6, condition: "ScaleUpLimit"),
    ]

    @Test(arguments: cases)
    func convert(_ tc: Case) {
        let (replicas, condition, _) = convertDesiredReplicasWithRules(currentReplicas: tc.current, desiredReplicas: tc.desired,
                                                                       minReplicas: tc.min, maxReplicas: tc.max)
        #expect(replicas == tc.expected)
        #expect(condition == tc.condition)
    }

    @Test func scaleUpLimitIsDoubleOrFour() {
        #expect(calculateScaleUpLimit(1) == 4)
        #expect(calculateScaleUpLimit(3) == 6)
        #expect(calculateScaleUpLimit(10) == 20)
    }
}
