import Foundation

/// autoscaling/v2 HorizontalPodAutoscaler.
public struct HorizontalPodAutoscaler: SpecAndStatus {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    /// autoscaling/v2 HorizontalPodAutoscalerSpec.
    public struct Spec: JSONView {
        public let json: JSONValue
        public init(_ json: JSONValue) { self.json = json }

        public var scaleTargetRef: CrossVersionObjectReference { view("scaleTargetRef") }
        /// 1 when absent, as Kubernetes defaults it.
        public var minReplicas: Int64 { int("minReplicas") ?? 1 }
        public var maxReplicas: Int64 { int("maxReplicas") ?? 0 }
        public var metrics: [MetricSpec] { views("metrics") }
        /// nil when the HPA sets none, which selects the controller's legacy rate limits.
        public var behavior: HorizontalPodAutoscalerBehavior? { json["behavior"].flatMap { $0.objectValue == nil ? nil : .init($0) } }
    }

    /// autoscaling/v2 HorizontalPodAutoscalerStatus.
    public struct Status: JSONView {
        public let json: JSONValue
        public init(_ json: JSONValue) { self.json = json }

        public var observedGeneration: Int64? { int("observedGeneration") }
        public var lastScaleTime: Date? { time("lastScaleTime") }
        public var currentReplicas: Int64 { int("currentReplicas") ?? 0 }
        public var desiredReplicas: Int64 { int("desiredReplicas") ?? 0 }
        public var currentMetrics: [MetricStatus] { views("currentMetrics") }
        public var conditions: [Condition] { views("conditions") }
    }
}

/// autoscaling/v2 CrossVersionObjectReference: the object an autoscaler scales.
public struct CrossVersionObjectReference: JSONView {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    public var apiVersion: String? { string("apiVersion") }
    public var kind: String { string("kind") ?? "" }
    public var name: String { string("name") ?? "" }
}

/// autoscaling/v2 MetricSpec: what to scale on. `type` says which source is set; the Resource
/// and ContainerResource sources are typed, the others stay JSON.
public struct MetricSpec: JSONView {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    /// `Resource`, `ContainerResource`, `Pods`, `Object` or `External`.
    public var type: String { string("type") ?? "" }
    /// Set when `type` is `Resource`; reads empty otherwise.
    public var resource: ResourceMetricSource { view("resource") }
    public var containerResource: ResourceMetricSource { view("containerResource") }
    public var pods: CustomMetricSource { view("pods") }
    public var object: CustomMetricSource { view("object") }
    public var external: CustomMetricSource { view("external") }
}

/// The part the autoscaling/v2 Pods, Object and External metric sources share: the metric they
/// name (kplane serves no custom or external metrics API; the controller reports the name).
public struct CustomMetricSource: JSONView {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    public var metric: MetricIdentifier { view("metric") }
}

/// autoscaling/v2 MetricIdentifier.
public struct MetricIdentifier: JSONView {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    public var name: String { string("name") ?? "" }
}

/// autoscaling/v2 HorizontalPodAutoscalerBehavior: the scaling rules of each direction, as
/// written (the controller fills in what is unset).
public struct HorizontalPodAutoscalerBehavior: JSONView {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    public var scaleUp: Rules? { rules("scaleUp") }
    public var scaleDown: Rules? { rules("scaleDown") }

    private func rules(_ key: String) -> Rules? { json[key].flatMap { $0.objectValue == nil ? nil : Rules($0) } }

    /// autoscaling/v2 HPAScalingRules.
    public struct Rules: JSONView {
        public let json: JSONValue
        public init(_ json: JSONValue) { self.json = json }

        /// `Max`, `Min` or `Disabled`.
        public var selectPolicy: String? { string("selectPolicy") }
        public var stabilizationWindowSeconds: Int64? { int("stabilizationWindowSeconds") }
        /// nil when absent (the defaults apply); an empty list is kept as written.
        public var policies: [Policy]? { json["policies"]?.arrayValue.map { $0.map(Policy.init) } }
        public var tolerance: Quantity? { quantity("tolerance") }
    }

    /// autoscaling/v2 HPAScalingPolicy.
    public struct Policy: JSONView {
        public let json: JSONValue
        public init(_ json: JSONValue) { self.json = json }

        /// `Pods` or `Percent`.
        public var type: String? { string("type") }
        public var value: Int64 { int("value") ?? 0 }
        public var periodSeconds: Int64 { int("periodSeconds") ?? 0 }
    }
}

/// autoscaling/v2 ResourceMetricSource (and ContainerResourceMetricSource, which adds `container`).
public struct ResourceMetricSource: JSONView {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    /// `cpu`, `memory`, ...
    public var name: String { string("name") ?? "" }
    public var container: String? { string("container") }
    public var target: MetricTarget { view("target") }
}

/// autoscaling/v2 MetricTarget: one of a value, an average value or an average utilization,
/// as `type` says.
public struct MetricTarget: JSONView {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    /// `Utilization`, `Value` or `AverageValue`.
    public var type: String? { string("type") }
    public var value: Quantity? { quantity("value") }
    public var averageValue: Quantity? { quantity("averageValue") }
    /// A percentage of the pods' requests.
    public var averageUtilization: Int64? { int("averageUtilization") }
}

/// autoscaling/v2 MetricStatus: what the autoscaler last observed of one metric.
public struct MetricStatus: JSONView {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    public var type: String { string("type") ?? "" }
    /// Set when `type` is `Resource`; reads empty otherwise.
    public var resource: ResourceMetricStatus { view("resource") }
    public var containerResource: ResourceMetricStatus { view("containerResource") }
}

/// autoscaling/v2 ResourceMetricStatus (and ContainerResourceMetricStatus).
public struct ResourceMetricStatus: JSONView {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    public var name: String { string("name") ?? "" }
    public var container: String? { string("container") }
    public var current: MetricValueStatus { view("current") }
}

/// autoscaling/v2 MetricValueStatus.
public struct MetricValueStatus: JSONView {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    public var value: Quantity? { quantity("value") }
    public var averageValue: Quantity? { quantity("averageValue") }
    public var averageUtilization: Int64? { int("averageUtilization") }
}
