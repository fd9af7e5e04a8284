import Foundation
import KubeModel
import Testing
@testable import Controllers

/// computeReplicasForMetrics: the largest proposal wins, a failed metric forbids scaling down
/// (TestScaleUpOneMetricEmpty, TestNoScaleDownOneMetricInvalid, TestNoScaleDownOneMetricEmpty),
/// and each metric reports its autoscaling/v2 MetricStatus.
struct MetricsComputationTests {
    typealias F = HPAFixtures
    static let cpu30 = MetricSpec(["type": "Resource", "resource": ["name": "cpu", "target": ["type": "Utilization", "averageUtilization": 30]]])
    static let cpu50 = MetricSpec(["type": "Resource", "resource": ["name": "cpu", "target": ["type": "Utilization", "averageUtilization": 50]]])
    static let external = MetricSpec(["type": "External", "external": ["metric": ["name": "qps"], "target": ["type": "Value", "value": "100m"]]])

    static func pods(_ n: Int) -> [Pod] { (0..<n).map { F.pod("test-pod-\($0)", startTime: F.cool, request: "1.0") } }

    @Test func scaleUpOneMetricEmpty() {
        let r = F.calculator.computeReplicasForMetrics([Self.cpu30, Self.external], specReplicas: 3, pods: Self.pods(3),
                                                       metrics: .samples(F.samples(F.levels(300, 400, 500))), now: F.now)
        #expect(r.replicas == 4)
        #expect(r.metricName == "cpu resource utilization (percentage of request)")
        #expect(r.scalingActive == HPAConditionUpdate(.scalingActive, true, "ValidMetricFound",
                                                      "the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)"))
        #expect(r.error?.hasPrefix("invalid metrics (1 invalid out of 2), first error is: failed to get qps external metric value") == true)
        #expect(r.statuses == [
            ["type": "Resource", "resource": ["name": "cpu", "current": ["averageUtilization": 40, "averageValue": "800m"]]],
            ["type": ""],
        ])
        #expect(r.events.map(\.reason) == ["FailedGetExternalMetric"])
    }

    @Test func noScaleDownOneMetricInvalid() {
        let r = F.calculator.computeReplicasForMetrics([Self.cpu50, MetricSpec(["type": "CheddarCheese"])], specReplicas: 5, pods: Self.pods(5),
                                                       metrics: .samples(F.samples(F.levels(50, 150, 250, 125, 125))), now: F.now)
        #expect(r.replicas == -1)
        #expect(r.scalingActive?.reason == "InvalidMetricSourceType")
        #expect(r.scalingActive?.status == false)
        #expect(r.scalingActive?.message == "the HPA was unable to compute the replica count: unknown metric source type \"CheddarCheese\"")
        #expect(r.error == "invalid metrics (1 invalid out of 2), first error is: unknown metric source type \"CheddarCheese\"")
    }

    @Test func noScaleDownOneMetricEmpty() {
        let r = F.calculator.computeReplicasForMetrics([Self.cpu50, Self.external], specReplicas: 5, pods: Self.pods(5),
                                                       metrics: .samples(F.samples(F.levels(50, 150, 250, 125, 125))), now: F.now)
        #expect(r.replicas == -1)
        #expect(r.scalingActive?.reason == "FailedGetExternalMetric")
        #expect(r.statuses.count == 2)
    }

    @Test func metricsAPIFailure() {
        let r = F.calculator.computeReplicasForMetrics([Self.cpu50], specReplicas: 5, pods: Self.pods(5), metrics: .failed("the server is busy"),
                                                       now: F.now)
        #expect(r.replicas == -1)
        #expect(r.scalingActive == HPAConditionUpdate(.scalingActive, false, "FailedGetResourceMetric",
            "the HPA was unable to compute the replica count: failed to get cpu utilization: unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: the server is busy"))
        #expect(r.error == "invalid metrics (1 invalid out of 1), first error is: failed to get cpu resource metric value: failed to get cpu utilization: unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: the server is busy")
    }

    @Test func containerResourceAverageValueStatus() {
        let spec = MetricSpec(["type": "ContainerResource",
                               "containerResource": ["name": "cpu", "container": "container2", "target": ["type": "AverageValue", "averageValue": "250m"]]])
        let r = F.calculator.computeReplicasForMetrics([spec], specReplicas: 3, pods: Self.pods(3),
                                                       metrics: .samples(F.samples([[1000, 300], [1000, 500], [1000, 700]])), now: F.now)
        // 500m average against 250m: ceil(2 × 3) = 6.
        #expect(r.replicas == 6)
        #expect(r.metricName == "cpu resource")
        #expect(r.statuses == [["type": "ContainerResource", "containerResource": ["name": "cpu", "container": "container2", "current": ["averageValue": "500m"]]]])
    }

    @Test func largestProposalWins() {
        let memory = MetricSpec(["type": "Resource", "resource": ["name": "memory", "target": ["type": "AverageValue", "averageValue": "1Mi"]]])
        let samples = (0..<3).map { i in
            PodMetrics(name: "test-pod-\(i)", timestamp: F.t0, window: 60, containers: [
                ContainerMetrics(name: "container1", usage: ["cpu": F.q("100m"), "memory": F.q("2Mi")]),
                ContainerMetrics(name: "container2", usage: ["cpu": F.q("100m"), "memory": F.q("2Mi")]),
            ])
        }
        let r = F.calculator.computeReplicasForMetrics([Self.cpu50, memory], specReplicas: 3, pods: Self.pods(3), metrics: .samples(samples), now: F.now)
        // cpu: 10% of 50% wants 1; memory: 4Mi per pod against 1Mi wants 12.
        #expect(r.replicas == 12)
        #expect(r.metricName == "memory resource")
        #expect(r.statuses[1] == ["type": "Resource", "resource": ["name": "memory", "current": ["averageValue": "4194304"]]])
    }
}
