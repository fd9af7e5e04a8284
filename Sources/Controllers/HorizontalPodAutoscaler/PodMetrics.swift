import Foundation
import KubeModel

/// metrics.k8s.io/v1beta1 PodMetrics as the resource metrics API serves it: one sample per pod,
/// taken over `window` and ending at `timestamp`, with each container's usage.
public struct PodMetrics: Sendable, Equatable {
    public var name: String
    public var namespace: String
    public var timestamp: Date
    public var window: TimeInterval
    public var containers: [ContainerMetrics]

    public init(name: String, namespace: String = "", timestamp: Date, window: TimeInterval, containers: [ContainerMetrics]) {
        self.name = name
        self.namespace = namespace
        self.timestamp = timestamp
        self.window = window
        self.containers = containers
    }
}

/// metrics.k8s.io/v1beta1 ContainerMetrics: a container's usage by resource name (`cpu` in cores,
/// `memory` in bytes, written as quantities: "250m", "64Mi").
public struct ContainerMetrics: Sendable, Equatable {
    public var name: String
    public var usage: [String: Quantity]

    public init(name: String, usage: [String: Quantity]) {
        self.name = name
        self.usage = usage
    }
}

/// One pod's value of the metric being scaled on, in milli-units as Kubernetes' `PodMetric`
/// holds it (`Quantity.MilliValue()`: millicores for cpu, thousandths of a byte for memory).
struct PodMetric: Sendable, Equatable {
    var timestamp: Date
    var window: TimeInterval
    var value: Int64

    init(timestamp: Date = .distantPast, window: TimeInterval = 0, value: Int64) {
        self.timestamp = timestamp
        self.window = window
        self.value = value
    }
}

/// Pod name to its metric (metrics.PodMetricsInfo).
typealias PodMetricsInfo = [String: PodMetric]

extension PodMetrics {
    /// A metrics.k8s.io/v1beta1 PodMetrics object as the API serves it; nil without a name or timestamp.
    public init?(json: JSONValue) {
        let meta = json.metadata
        guard !meta.name.isEmpty, let ts = json["timestamp"]?.stringValue.flatMap(Timestamp.parse) else { return nil }
        let containers = (json["containers"]?.arrayValue ?? []).map { c in
            ContainerMetrics(name: c["name"]?.stringValue ?? "", usage: (c["usage"]?.objectValue ?? [:]).compactMapValues(quantity))
        }
        self.init(name: meta.name, namespace: meta.namespace, timestamp: ts,
                  window: json["window"]?.stringValue.flatMap(GoDuration.seconds) ?? 0, containers: containers)
    }
}
