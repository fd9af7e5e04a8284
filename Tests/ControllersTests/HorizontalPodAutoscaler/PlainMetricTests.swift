import Foundation
import Testing
@testable import Controllers

/// The average-value path (calcPlainMetricReplicas), with replica_calculator_test.go's
/// pods-metric cases (TestReplicaCalc*CM) and raw resource cases.
struct PlainMetricTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var currentReplicas: Int32
        var expectedReplicas: Int32
        var levels: [Int64]
        var targetUsage: Int64
        var expectedUsage: Int64
        var podReadiness: [Bool]? = nil
        var podPhase: [String]? = nil
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "ScaleUpCM", currentReplicas: 3, expectedReplicas: 4, levels: [20000, 10000, 30000], targetUsage: 15000, expectedUsage: 20000),
        Case(name: "ScaleUpCMUnreadyHotCpuNoLessScale", currentReplicas: 3, expectedReplicas: 6, levels: [50000, 10000, 30000],
             targetUsage: 15000, expectedUsage: 30000, podReadiness: [true, true, false]),
        Case(name: "ScaleUpCMUnreadyHotCpuScaleWouldScaleDown", currentReplicas: 3, expectedReplicas: 7, levels: [50000, 15000, 30000],
             targetUsage: 15000, expectedUsage: 31666, podReadiness: [false, true, false]),
        Case(name: "ScaleDownCM", currentReplicas: 5, expectedReplicas: 3, levels: [12000, 12000, 12000, 12000, 12000], targetUsage: 20000,
             expectedUsage: 12000),
        Case(name: "ToleranceCM", currentReplicas: 3, expectedReplicas: 3, levels: [20000, 21000, 21000], targetUsage: 20000, expectedUsage: 20666),
        Case(name: "PlainMetricMissingMetricsNoChangeEq", currentReplicas: 5, expectedReplicas: 5, levels: [20000, 19000, 21000],
             targetUsage: 20000, expectedUsage: 20000),
        Case(name: "DuringRollingUpdateWithMaxSurgeCM", currentReplicas: 2, expectedReplicas: 2, levels: [10000, 10000], targetUsage: 17000,
             expectedUsage: 10000, podPhase: ["Running", "Running", "Running"]),
    ]

    @Test(arguments: cases)
    func podsMetric(_ tc: Case) throws {
        let count = max(Int(tc.currentReplicas), tc.podPhase?.count ?? 0)
        let pods = (0..<count).map { i in
            HPAFixtures.pod("test-pod-\(i)", phase: tc.podPhase?[i] ?? "Running", ready: tc.podReadiness?[i] ?? true)
        }
        let (replicas, usage) = try HPAFixtures.calculator.plainMetricReplicas(
            HPAFixtures.podMetricsInfo(tc.levels), currentReplicas: tc.currentReplicas, targetUsage: tc.targetUsage,
            tolerances: Tolerances(), pods: pods, resource: "", now: HPAFixtures.now)
        #expect(replicas == tc.expectedReplicas)
        #expect(usage == tc.expectedUsage)
    }

    /// An AverageValue cpu target: missing pods count as exactly on target when scaling down.
    @Test func rawResourceScaleDownWithMissingPod() throws {
        let pods = (0..<4).map { HPAFixtures.pod("test-pod-\($0)", startTime: HPAFixtures.cool, request: "1") }
        let r = try HPAFixtures.calculator.rawResourceReplicas(currentReplicas: 4, targetUsage: 1000, resource: "cpu", pods: pods,
                                                               metrics: HPAFixtures.samples(HPAFixtures.levels(100, 100, 100)), now: HPAFixtures.now)
        // usage 200m per pod of a 1000m target; with the missing pod at 1000m: 1600/4000 → ceil(0.4 × 4) = 2.
        #expect(r == ReplicaCalculator.RawResourceReplicas(replicas: 2, usage: 200, timestamp: HPAFixtures.t0))
    }

    @Test func separateTolerancesPerDirection() throws {
        let pods = (0..<3).map { HPAFixtures.pod("test-pod-\($0)") }
        let metrics = HPAFixtures.podMetricsInfo([21000, 21000, 21000])
        let loose = try HPAFixtures.calculator.plainMetricReplicas(metrics, currentReplicas: 3, targetUsage: 20000, tolerances: Tolerances(),
                                                                   pods: pods, resource: "", now: HPAFixtures.now)
        #expect(loose.replicas == 3)
        let tight = try HPAFixtures.calculator.plainMetricReplicas(metrics, currentReplicas: 3, targetUsage: 20000,
                                                                   tolerances: Tolerances(scaleDown: 0.1, scaleUp: 0.01),
                                                                   pods: pods, resource: "", now: HPAFixtures.now)
        #expect(tight.replicas == 4)
    }
}
