import Foundation
import Testing
@testable import Controllers

/// Resource-utilization cases ported from replica_calculator_test.go (TestReplicaCalc*).
struct ReplicaCalculatorTests {
    static let one = ["1.0", "1.0", "1.0", "1.0", "1.0", "1.0", "1.0"]
    typealias F = HPAFixtures

    static let cases: [ReplicaCalcCase] = [
        ReplicaCalcCase(name: "DisjointResourcesMetrics", currentReplicas: 1, expectedError: "no metrics returned matched known pods",
                        requests: ["1.0"], levels: F.levels(100), podNames: ["an-older-pod-name"], targetUtilization: 100),
        ReplicaCalcCase(name: "ScaleUp", currentReplicas: 3, expectedReplicas: 5, requests: one, levels: F.levels(300, 500, 700),
                        targetUtilization: 30, expectedUtilization: 50, expectedValue: 2 * 500),
        ReplicaCalcCase(name: "ScaleUpUnreadyLessScale", currentReplicas: 3, expectedReplicas: 4, requests: one, levels: F.levels(300, 500, 700),
                        targetUtilization: 30, expectedUtilization: 60, expectedValue: 2 * 600, podReadiness: [false, true, true]),
        ReplicaCalcCase(name: "ScaleUpHotCpuLessScale", currentReplicas: 3, expectedReplicas: 4, requests: one, levels: F.levels(300, 500, 700),
                        targetUtilization: 30, expectedUtilization: 60, expectedValue: 2 * 600, podStartTime: [F.hot, F.cool, F.cool]),
        ReplicaCalcCase(name: "ScaleUpUnreadyNoScale", currentReplicas: 3, expectedReplicas: 3, requests: one, levels: F.levels(400, 500, 700),
                        targetUtilization: 30, expectedUtilization: 40, expectedValue: 2 * 400, podReadiness: [true, false, false]),
        ReplicaCalcCase(name: "ScaleHotCpuNoScale", currentReplicas: 3, expectedReplicas: 3, requests: one, levels: F.levels(400, 500, 700),
                        targetUtilization: 30, expectedUtilization: 40, expectedValue: 2 * 400, podReadiness: [true, false, false],
                        podStartTime: [F.cool, F.hot, F.hot]),
        ReplicaCalcCase(name: "ScaleUpIgnoresFailedPods", currentReplicas: 2, expectedReplicas: 4, requests: one, levels: F.levels(500, 700),
                        targetUtilization: 30, expectedUtilization: 60, expectedValue: 2 * 600, podReadiness: [true, true, false, false],
                        podPhase: ["Running", "Running", "Failed", "Failed"]),
        ReplicaCalcCase(name: "ScaleUpIgnoresDeletionPods", currentReplicas: 2, expectedReplicas: 4, requests: one, levels: F.levels(500, 700),
                        targetUtilization: 30, expectedUtilization: 60, expectedValue: 2 * 600, podReadiness: [true, true, false, false],
                        podPhase: ["Running", "Running", "Running", "Running"], podDeletionTimestamp: [false, false, true, true]),
        ReplicaCalcCase(name: "ScaleDown", currentReplicas: 5, expectedReplicas: 3, requests: one, levels: F.levels(100, 300, 500, 250, 250),
                        targetUtilization: 50, expectedUtilization: 28, expectedValue: 2 * 280),
        ReplicaCalcCase(name: "ScaleDownExcludeUnreadyPods", currentReplicas: 5, expectedReplicas: 2, requests: one,
                        levels: F.levels(100, 300, 500, 250, 250), targetUtilization: 50, expectedUtilization: 30, expectedValue: 2 * 300,
                        podReadiness: [true, true, true, false, false]),
        ReplicaCalcCase(name: "ScaleDownExcludeUnscheduledPods", currentReplicas: 5, expectedReplicas: 1, requests: one, levels: F.levels(100),
                        targetUtilization: 50, expectedUtilization: 10, expectedValue: 2 * 100, podReadiness: [true, false, false, false, false],
                        podPhase: ["Running", "Pending", "Pending", "Pending", "Pending"]),
        ReplicaCalcCase(name: "ScaleDownIgnoreHotCpuPods", currentReplicas: 5, expectedReplicas: 2, requests: one,
                        levels: F.levels(100, 300, 500, 250, 250), targetUtilization: 50, expectedUtilization: 30, expectedValue: 2 * 300,
                        podStartTime: [F.cool, F.cool, F.cool, F.hot, F.hot]),
        ReplicaCalcCase(name: "ScaleDownIgnoresFailedPods", currentReplicas: 5, expectedReplicas: 3, requests: one,
                        levels: F.levels(100, 300, 500, 250, 250), targetUtilization: 50, expectedUtilization: 28, expectedValue: 2 * 280,
                        podReadiness: [true, true, true, true, true, false, false],
                        podPhase: ["Running", "Running", "Running", "Running", "Running", "Failed", "Failed"]),
        ReplicaCalcCase(name: "ScaleDownIgnoresDeletionPods", currentReplicas: 5, expectedReplicas: 3, requests: one,
                        levels: F.levels(100, 300, 500, 250, 250), targetUtilization: 50, expectedUtilization: 28, expectedValue: 2 * 280,
                        podReadiness: [true, true, true, true, true, false, false], podPhase: Array(repeating: "Running", count: 7),
                        podDeletionTimestamp: [false, false, false, false, false, true, true]),
        ReplicaCalcCase(name: "Tolerance", currentReplicas: 3, expectedReplicas: 3, requests: ["0.9", "1.0", "1.1"],
                        levels: F.levels(1010, 1030, 1020), targetUtilization: 100, expectedUtilization: 102, expectedValue: 2 * 1020),
        ReplicaCalcCase(name: "SuperfluousMetrics", currentReplicas: 4, expectedReplicas: 24, requests: one,
                        levels: F.levels(4000, 9500, 3000, 7000, 3200, 2000), targetUtilization: 100, expectedUtilization: 587,
                        expectedValue: 2 * 5875),
        ReplicaCalcCase(name: "MissingMetrics", currentReplicas: 4, expectedReplicas: 3, requests: one, levels: F.levels(400, 95),
                        targetUtilization: 100, expectedUtilization: 24, expectedValue: 495),
        ReplicaCalcCase(name: "EmptyMetrics", currentReplicas: 4,
                        expectedError: "unable to get metrics for resource cpu: no metrics returned from resource metrics API",
                        requests: one, levels: [], targetUtilization: 100),
        ReplicaCalcCase(name: "EmptyCPURequest", currentReplicas: 1, expectedError: "missing request for", requests: [],
                        levels: F.levels(200), targetUtilization: 100),
        ReplicaCalcCase(name: "MissingMetricsNoChangeEq", currentReplicas: 2, expectedReplicas: 2, requests: one, levels: F.levels(1000),
                        targetUtilization: 100, expectedUtilization: 100, expectedValue: 2 * 1000),
        ReplicaCalcCase(name: "MissingMetricsNoChangeGt", currentReplicas: 2, expectedReplicas: 2, requests: one, levels: F.levels(1900),
                        targetUtilization: 100, expectedUtilization: 190, expectedValue: 2 * 1900),
        ReplicaCalcCase(name: "MissingMetricsNoChangeLt", currentReplicas: 2, expectedReplicas: 2, requests: one, levels: F.levels(600),
                        targetUtilization: 100, expectedUtilization: 60, expectedValue: 2 * 600),
        ReplicaCalcCase(name: "MissingMetricsUnreadyChange", currentReplicas: 3, expectedReplicas: 3, requests: one, levels: F.levels(100, 450),
                        targetUtilization: 50, expectedUtilization: 45, expectedValue: 2 * 450, podReadiness: [false, true, true]),
        ReplicaCalcCase(name: "MissingMetricsHotCpuNoChange", currentReplicas: 3, expectedReplicas: 3, requests: one, levels: F.levels(100, 450),
                        targetUtilization: 50, expectedUtilization: 45, expectedValue: 2 * 450, podStartTime: [F.hot, F.cool, F.cool]),
        ReplicaCalcCase(name: "MissingMetricsUnreadyScaleUp", currentReplicas: 3, expectedReplicas: 4, requests: one, levels: F.levels(100, 2000),
                        targetUtilization: 50, expectedUtilization: 200, expectedValue: 2 * 2000, podReadiness: [false, true, true]),
        ReplicaCalcCase(name: "MissingMetricsHotCpuScaleUp", currentReplicas: 3, expectedReplicas: 4, requests: one, levels: F.levels(100, 2000),
                        targetUtilization: 50, expectedUtilization: 200, expectedValue: 2 * 2000, podReadiness: [false, true, true],
                        podStartTime: [F.hot, F.cool, F.cool]),
        ReplicaCalcCase(name: "MissingMetricsUnreadyScaleDown", currentReplicas: 4, expectedReplicas: 3, requests: one,
                        levels: F.levels(100, 100, 100), targetUtilization: 50, expectedUtilization: 10, expectedValue: 2 * 100,
                        podReadiness: [false, true, true, true]),
        ReplicaCalcCase(name: "MissingMetricsScaleDownTargetOver100", currentReplicas: 4, expectedReplicas: 2, requests: ["1.0", "1.0", "2.0", "2.0"],
                        levels: F.levels(200, 100, 100), targetUtilization: 300, expectedUtilization: 6, expectedValue: 2 * 100,
                        podReadiness: [false, true, true, true]),
        ReplicaCalcCase(name: "DuringRollingUpdateWithMaxSurge", currentReplicas: 2, expectedReplicas: 2, requests: one, levels: F.levels(100, 100),
                        targetUtilization: 50, expectedUtilization: 10, expectedValue: 2 * 100, podPhase: ["Running", "Running", "Running"]),
    ]

    @Test(arguments: cases)
    func resourceUtilization(_ tc: ReplicaCalcCase) throws { try tc.run() }

    /// TestReplicaCalcComputedToleranceAlgImplementation: a target just past the tolerance
    /// scales down; one just inside it does not.
    @Test func computedToleranceAlgImplementation() throws {
        let startPods: Int32 = 10
        let totalUsed = Int64(startPods) * 150
        let totalRequested = Int32(2 * totalUsed)
        let requestedToUsed = Double(totalRequested / Int32(totalUsed))
        let perPod = totalRequested / startPods
        var target = abs(1 / (requestedToUsed * (1 - Tolerances.defaultTolerance))) + 0.01
        let usedRatio = Double(totalUsed) / (Double(totalRequested) * target)
        let offsets: [Int32] = [100, -100, 10, -10, 2, -2, 1, -1, 0, 0]
        var tc = ReplicaCalcCase(name: "ComputedTolerance", currentReplicas: startPods,
                                 expectedReplicas: Int32((usedRatio * Double(startPods)).rounded(.up)),
                                 requests: offsets.map { "\(perPod + $0)m" }, levels: Array(repeating: [totalUsed / 10, totalUsed / 10], count: 10),
                                 targetUtilization: Int32(target * 100), expectedUtilization: Int64(Int32(totalUsed * 100) / totalRequested),
                                 expectedValue: 2 * totalUsed / 10)
        #expect(tc.expectedReplicas == 9)
        try tc.run()

        target = abs(1 / (requestedToUsed * (1 - Tolerances.defaultTolerance))) + 0.004
        tc.targetUtilization = Int32(target * 100)
        tc.expectedReplicas = startPods
        try tc.run()
    }
}
