import Foundation
import KubeModel
import Testing
@testable import Controllers

/// One row of replica_calculator_test.go's `replicaCalcTestCase` for resource metrics.
struct ReplicaCalcCase: Sendable, CustomTestStringConvertible {
    var name: String
    var currentReplicas: Int32
    var expectedReplicas: Int32 = 0
    var expectedError: String? = nil
    var resource = "cpu"
    var requests: [String]
    var levels: [[Int64]]
    var podNames: [String] = []
    var targetUtilization: Int32
    var expectedUtilization: Int64 = 0
    var expectedValue: Int64 = 0
    var container: String? = nil
    var podReadiness: [Bool]? = nil
    var podStartTime: [Date]? = nil
    var podPhase: [String]? = nil
    var podDeletionTimestamp: [Bool]? = nil

    var testDescription: String { name }

    /// prepareTestClientSet: `currentReplicas` pods, or more when `podPhase` lists more (failed
    /// pods are not counted in the current replicas).
    var pods: [Pod] {
        let count = max(Int(currentReplicas), podPhase?.count ?? 0)
        return (0..<count).map { i in
            HPAFixtures.pod("test-pod-\(i)", phase: podPhase?[i] ?? "Running",
                            ready: i < (podReadiness?.count ?? 0) ? podReadiness?[i] : true,
                            startTime: podStartTime?[i] ?? HPAFixtures.t0,
                            deleting: podDeletionTimestamp?[i] ?? false, resource: resource,
                            request: i < requests.count ? requests[i] : nil)
        }
    }

    func run() throws {
        let calc = HPAFixtures.calculator
        let samples = HPAFixtures.samples(levels, resource: resource, podNames: podNames)
        if let expectedError {
            let error = #expect(throws: HPAError.self) {
                try calc.resourceReplicas(currentReplicas: currentReplicas, targetUtilization: targetUtilization, resource: resource,
                                          container: container, pods: pods, metrics: samples, now: HPAFixtures.now)
            }
            #expect(error?.message.contains(expectedError) == true, "\(String(describing: error)) should contain \(expectedError)")
            return
        }
        let result = try calc.resourceReplicas(currentReplicas: currentReplicas, targetUtilization: targetUtilization, resource: resource,
                                               container: container, pods: pods, metrics: samples, now: HPAFixtures.now)
        #expect(result.replicas == expectedReplicas, "replicas")
        #expect(result.utilization == expectedUtilization, "utilization")
        #expect(result.rawAverageValue == expectedValue, "raw value")
        #expect(result.timestamp == HPAFixtures.t0, "timestamp")
    }
}
