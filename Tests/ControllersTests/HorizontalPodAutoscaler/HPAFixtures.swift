import Foundation
import KubeModel
@testable import Controllers

/// Shared clock and object builders for the HPA tests, shaped like replica_calculator_test.go's
/// fixtures. Go's tests leave metric timestamps, readiness transitions and default start times
/// at the zero time and use `time.Now()`; here `t0` stands for that zero time and `now` is a day later.
enum HPAFixtures {
    static let t0 = Date(timeIntervalSince1970: 1_704_067_200)
    static let now = t0.addingTimeInterval(86_400)
    /// hotCPUCreationTime: started just now, inside the CPU initialization period.
    static let hot = now
    /// coolCPUCreationTime: started three minutes ago, past it.
    static let cool = now.addingTimeInterval(-180)

    /// ReplicaCalculator with replica_calculator.go's testing periods (2 min, 10 s).
    static let calculator = ReplicaCalculator(cpuInitializationPeriod: 120, delayOfInitialReadinessStatus: 10)

    /// A pod as the Go tests build it: two containers each requesting `request` of `resource`.
    static func pod(_ name: String, phase: String = "Running", ready: Bool? = true, readySince: Date? = t0, startTime: Date? = t0,
                    deleting: Bool = false, resource: String = "cpu", request: String? = nil, containers: [String] = ["container1", "container2"]) -> Pod
    {
        var status: JSONValue = ["phase": .string(phase)]
        if let startTime { status["startTime"] = .string(Timestamp.format(startTime)) }
        if let ready {
            var condition: JSONValue = ["type": "Ready", "status": ready ? "True" : "False"]
            if let readySince { condition["lastTransitionTime"] = .string(Timestamp.format(readySince)) }
            status["conditions"] = [condition]
        }
        let specContainers: [JSONValue] = containers.map { c in
            var container: JSONValue = ["name": .string(c)]
            if let request { container["resources"] = ["requests": [resource: .string(request)]] }
            return container
        }
        var metadata: JSONValue = ["name": .string(name), "namespace": "test-namespace"]
        if deleting { metadata["deletionTimestamp"] = .string(Timestamp.format(now)) }
        return Pod(["metadata": metadata, "spec": ["containers": .array(specContainers)], "status": status])
    }

    /// A quantity the test spells out; a typo is a programming error.
    static func q(_ text: String) -> Quantity {
        guard let q = Quantity(text) else { fatalError("not a quantity: \(text)") }
        return q
    }

    /// makePodMetricLevels: each pod's level reported by both of its containers.
    static func levels(_ values: Int64...) -> [[Int64]] { values.map { [$0, $0] } }

    /// The resource metrics API's samples: container N+1 reports `levels[pod][N]` milli-units;
    /// a pod with fewer levels gets unnamed empty containers, as Go's zero-valued slice entries.
    static func samples(_ levels: [[Int64]], resource: String = "cpu", podNames: [String] = [], timestamp: Date = t0) -> [PodMetrics] {
        levels.enumerated().map { i, values in
            let name = i < podNames.count ? podNames[i] : "test-pod-\(i)"
            let containers = (0..<2).map { j -> ContainerMetrics in
                guard j < values.count, let q = Quantity("\(values[j])m") else { return ContainerMetrics(name: "", usage: [:]) }
                return ContainerMetrics(name: "container\(j + 1)", usage: [resource: q])
            }
            return PodMetrics(name: name, namespace: "test-namespace", timestamp: timestamp, window: 60, containers: containers)
        }
    }

    /// Per-pod custom metric values (for the average-value path), named test-pod-N.
    static func podMetricsInfo(_ levels: [Int64]) -> PodMetricsInfo {
        var info: PodMetricsInfo = [:]
        for (i, v) in levels.enumerated() { info["test-pod-\(i)"] = PodMetric(timestamp: t0, window: 60, value: v) }
        return info
    }
}
