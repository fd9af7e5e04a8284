import Foundation
import KubeModel
import Testing
@testable import Controllers

/// The small pieces: behavior defaults, tolerances, conditions and quantity text.
struct ModelTests {
    @Test func behaviorDefaultsFillOnlyAPresentBehavior() {
        var none: JSONValue = ["maxReplicas": 5]
        BehaviorDefaults.apply(toSpec: &none)
        #expect(none["behavior"] == nil)

        var spec: JSONValue = ["behavior": ["scaleDown": ["policies": [["type": "Pods", "value": 1, "periodSeconds": 60]]]]]
        BehaviorDefaults.apply(toSpec: &spec)
        #expect(spec["behavior"] == [
            "scaleUp": ["selectPolicy": "Max", "stabilizationWindowSeconds": 0, "policies": [
                ["type": "Pods", "value": 4, "periodSeconds": 15], ["type": "Percent", "value": 100, "periodSeconds": 15]]],
            "scaleDown": ["selectPolicy": "Max", "policies": [["type": "Pods", "value": 1, "periodSeconds": 60]]],
        ])
    }

    @Test func behaviorFromJSON() {
        let b = HPABehavior(HorizontalPodAutoscalerBehavior(["scaleDown": ["stabilizationWindowSeconds": 60, "selectPolicy": "Min", "tolerance": "0.05"]]))
        #expect(b?.scaleUp == .defaultScaleUp)
        #expect(b?.scaleDown.stabilizationWindowSeconds == 60)
        #expect(b?.scaleDown.selectPolicy == .min)
        #expect(b?.scaleDown.policies == HPAScalingRules.defaultScaleDown.policies)
        #expect(b?.tolerances() == Tolerances(scaleDown: 0.05, scaleUp: 0.1))
        #expect(HPABehavior(nil) == nil)
    }

    @Test func tolerancesBand() {
        let t = Tolerances(scaleDown: 0.2, scaleUp: 0.05)
        #expect(t.isWithin(0.8))
        #expect(!t.isWithin(0.79))
        #expect(t.isWithin(1.05))
        #expect(!t.isWithin(1.06))
        #expect(Tolerances(behavior: HorizontalPodAutoscalerBehavior(["scaleUp": ["tolerance": "0.01"]])) == Tolerances(scaleDown: 0.1, scaleUp: 0.01))
    }

    @Test func conditionTransitionTimeMovesOnlyOnStatusChange() {
        let t1 = HPAFixtures.t0, t2 = HPAFixtures.now
        var list = HPAConditionUpdate(.ableToScale, true, "SucceededGetScale", HPAMessage.succeededGetScale).applied(to: [], now: t1)
        list = HPAConditionUpdate(.ableToScale, true, "SucceededRescale", HPAMessage.succeededRescale(4)).applied(to: list, now: t2)
        #expect(list == [["type": "AbleToScale", "status": "True", "lastTransitionTime": .string(Timestamp.format(t1)),
                          "reason": "SucceededRescale", "message": "the HPA controller was able to update the target scale to 4"]])
        list = HPAConditionUpdate(.ableToScale, false, "FailedUpdateScale", HPAMessage.failedUpdateScale("conflict")).applied(to: list, now: t2)
        #expect(list[0]["lastTransitionTime"] == .string(Timestamp.format(t2)))
        #expect(list[0]["message"] == "the HPA controller was unable to update the target scale: conflict")
    }

    @Test(arguments: [(Int64(0), "0"), (500, "500m"), (1000, "1"), (1500, "1500m"), (2_000_000, "2k"), (4_194_304_000, "4194304"),
                      (64_000_000_000, "64M")])
    func decimalSI(_ milli: Int64, _ text: String) {
        #expect(Quantity.decimalSI(milli: milli) == text)
    }

    @Test(arguments: [("1.1", Int64(1100)), ("123m", 123), ("700m", 700), ("0.9", 900), ("1Gi", 1_073_741_824_000), ("2e3", 2_000_000),
                      ("1u", 1), ("64Mi", 67_108_864_000)])
    func exactMilliValue(_ text: String, _ milli: Int64) {
        #expect(HPAFixtures.q(text).exactMilliValue == milli)
    }

    @Test func eventMessages() {
        #expect(HPAEvents.successfulRescaleMessage(5, reason: HPAEvents.aboveTarget(HPAMetricName.resourceUtilization("cpu")))
            == "New size: 5; reason: cpu resource utilization (percentage of request) above target")
        #expect(HPAEvents.failedRescaleMessage(2, reason: HPAEvents.allMetricsBelowTarget, error: "boom")
            == "New size: 2; reason: All metrics below target; error: boom")
    }
}

/// Reading the metrics API's objects.
struct PodMetricsJSONTests {
    @Test func decodesPodMetrics() throws {
        let json: JSONValue = ["metadata": ["name": "web-1", "namespace": "default"], "timestamp": "2024-01-01T00:00:00Z", "window": "1m0s",
                               "containers": [["name": "app", "usage": ["cpu": "250m", "memory": "64Mi"]]]]
        let m = try #require(PodMetrics(json: json))
        #expect(m.name == "web-1" && m.namespace == "default" && m.window == 60 && m.timestamp == HPAFixtures.t0)
        #expect(m.containers == [ContainerMetrics(name: "app", usage: ["cpu": HPAFixtures.q("250m"), "memory": HPAFixtures.q("64Mi")])])
        #expect(GoDuration.seconds("1.5s") == 1.5)
        #expect(GoDuration.seconds("250ms") == 0.25)
        #expect(GoDuration.seconds("bogus") == nil)
    }
}
