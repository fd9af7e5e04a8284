import Foundation
@testable import Controllers

/// horizontal_test.go's behavior helpers.
enum BehaviorFixtures {
    static let now = HPAFixtures.now

    /// generateScalingRules: a Pods and/or Percent policy (0 leaves it out), selectPolicy Max.
    static func rules(_ pods: Int32, _ podsPeriod: Int32, _ percent: Int32, _ percentPeriod: Int32, _ window: Int32) -> HPAScalingRules {
        var policies: [HPAScalingPolicy] = []
        if pods != 0 { policies.append(HPAScalingPolicy(type: .pods, value: pods, periodSeconds: podsPeriod)) }
        if percent != 0 { policies.append(HPAScalingPolicy(type: .percent, value: percent, periodSeconds: percentPeriod)) }
        return HPAScalingRules(stabilizationWindowSeconds: window, selectPolicy: .max, policies: policies)
    }

    /// generateEventsUniformDistribution: events spread over the last `period` seconds, each in
    /// the middle of its segment (whole seconds, as Go's Duration conversion truncates).
    static func events(_ raw: [Int32], _ period: Int) -> [TimestampedScaleEvent] {
        let segment = Double(period) / Double(raw.count)
        return raw.enumerated().map { idx, change in
            let secondsAgo = (Double(period) - segment * Double(idx + 1) + segment / 2).rounded(.towardZero)
            return TimestampedScaleEvent(change, now.addingTimeInterval(-secondsAgo))
        }
    }

    static func ago(_ seconds: TimeInterval) -> Date { now.addingTimeInterval(-seconds) }
}
