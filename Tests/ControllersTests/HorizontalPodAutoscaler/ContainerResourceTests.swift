import Foundation
import Testing
@testable import Controllers

/// ContainerResource cases from replica_calculator_test.go: utilization of one named container.
struct ContainerResourceTests {
    static let one = ReplicaCalculatorTests.one
    typealias F = HPAFixtures

    static let cases: [ReplicaCalcCase] = [
        ReplicaCalcCase(name: "ContainerScaleUp", currentReplicas: 3, expectedReplicas: 5, requests: one,
                        levels: [[1000, 300], [1000, 500], [1000, 700]], targetUtilization: 30, expectedUtilization: 50, expectedValue: 500,
                        container: "container2"),
        ReplicaCalcCase(name: "ScaleUpContainerHotCpuLessScale", currentReplicas: 3, expectedReplicas: 4, requests: one,
                        levels: [[0, 300], [0, 500], [0, 700]], targetUtilization: 30, expectedUtilization: 60, expectedValue: 600,
                        container: "container2", podStartTime: [F.hot, F.cool, F.cool]),
        ReplicaCalcCase(name: "ScaleUpContainerIgnoresFailedPods", currentReplicas: 2, expectedReplicas: 4, requests: one,
                        levels: [[1000, 500], [9000, 700]], targetUtilization: 30, expectedUtilization: 60, expectedValue: 600,
                        container: "container2", podReadiness: [true, true, false, false], podPhase: ["Running", "Running", "Failed", "Failed"]),
        ReplicaCalcCase(name: "ScaleUpContainerIgnoresDeletionPods", currentReplicas: 2, expectedReplicas: 4, requests: one,
                        levels: F.levels(500, 700), targetUtilization: 30, expectedUtilization: 60, expectedValue: 600, container: "container1",
                        podReadiness: [true, true, false, false], podPhase: Array(repeating: "Running", count: 4),
                        podDeletionTimestamp: [false, false, true, true]),
        ReplicaCalcCase(name: "ContainerScaleDown", currentReplicas: 5, expectedReplicas: 3, requests: one,
                        levels: [[1000, 100], [1000, 300], [1000, 500], [1000, 250], [1000, 250]], targetUtilization: 50,
                        expectedUtilization: 28, expectedValue: 280, container: "container2"),
        ReplicaCalcCase(name: "ScaleDownContainerExcludeUnreadyPods", currentReplicas: 5, expectedReplicas: 2, requests: one,
                        levels: [[1000, 100], [1000, 300], [1000, 500], [1000, 250], [1000, 250]], targetUtilization: 50,
                        expectedUtilization: 30, expectedValue: 300, container: "container2", podReadiness: [true, true, true, false, false]),
        ReplicaCalcCase(name: "ScaleDownContainerExcludeUnscheduledPods", currentReplicas: 5, expectedReplicas: 1, requests: one,
                        levels: [[1000, 100], [1000, 300], [1000, 500], [1000, 250], [1000, 250]], targetUtilization: 50,
                        expectedUtilization: 10, expectedValue: 100, container: "container2", podReadiness: [true, false, false, false, false],
                        podPhase: ["Running", "Pending", "Pending", "Pending", "Pending"]),
        ReplicaCalcCase(name: "ScaleDownContainerIgnoreHotCpuPods", currentReplicas: 5, expectedReplicas: 2, requests: one,
                        levels: [[1000, 100], [1000, 300], [1000, 500], [1000, 1000], [1000, 1000]], targetUtilization: 50,
                        expectedUtilization: 30, expectedValue: 300, container: "container2", podStartTime: [F.cool, F.cool, F.cool, F.hot, F.hot]),
        ReplicaCalcCase(name: "ScaleDownContainerIgnoresFailedPods", currentReplicas: 5, expectedReplicas: 3, requests: one,
                        levels: [[1000, 100], [1000, 300], [1000, 500], [1000, 250], [1000, 250]], targetUtilization: 50,
                        expectedUtilization: 28, expectedValue: 280, container: "container2",
                        podReadiness: [true, true, true, true, true, false, false],
                        podPhase: ["Running", "Running", "Running", "Running", "Running", "Failed", "Failed"]),
        ReplicaCalcCase(name: "ScaleDownIgnoresDeletionPods_StillRunning", currentReplicas: 5, expectedReplicas: 3, requests: one,
                        levels: [[1000, 100], [1000, 300], [1000, 500], [1000, 250], [1000, 250]], targetUtilization: 50,
                        expectedUtilization: 28, expectedValue: 280, container: "container2",
                        podReadiness: [true, true, true, true, true, false, false], podPhase: Array(repeating: "Running", count: 7),
                        podDeletionTimestamp: [false, false, false, false, false, true, true]),
        // Today's resource metrics client refuses a pod whose sample lacks the container
        // (metrics/resource_client.go getContainerMetrics).
        ReplicaCalcCase(name: "MissingContainerMetric", currentReplicas: 2,
                        expectedError: "unable to get metrics for resource cpu: failed to get container metrics: container container2 not present in metrics for pod test-namespace/test-pod-2",
                        requests: one, levels: [[1000, 500], [9000, 700], [1000], [9000]], targetUtilization: 30, container: "container2",
                        podPhase: ["Running", "Running", "Failed", "Failed"]),
    ]

    @Test(arguments: cases)
    func containerUtilization(_ tc: ReplicaCalcCase) throws { try tc.run() }
}
