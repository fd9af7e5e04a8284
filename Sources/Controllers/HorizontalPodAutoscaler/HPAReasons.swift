import Foundation

/// The condition reasons kube-controller-manager's HPA controller writes (horizontal.go), so
/// `kubectl describe hpa` reads the same here as on a cluster. (The BackoffBoth,
/// BackoffDownscale and BackoffUpscale reasons went with the forbidden windows, replaced by
/// stabilization in Kubernetes 1.12; current controllers never set them.)
public enum HPAReason {
    // AbleToScale
    public static let succeededGetScale = "SucceededGetScale"
    public static let failedGetScale = "FailedGetScale"
    public static let succeededRescale = "SucceededRescale"
    public static let failedUpdateScale = "FailedUpdateScale"
    public static let readyForNewScale = "ReadyForNewScale"
    public static let scaleUpStabilized = "ScaleUpStabilized"
    public static let scaleDownStabilized = "ScaleDownStabilized"
    // ScalingActive
    public static let validMetricFound = "ValidMetricFound"
    public static let scalingDisabled = "ScalingDisabled"
    public static let invalidSelector = "InvalidSelector"
    public static let ambiguousSelector = "AmbiguousSelector"
    public static let failedGetResourceMetric = "FailedGetResourceMetric"
    public static let failedGetContainerResourceMetric = "FailedGetContainerResourceMetric"
    public static let failedGetPodsMetric = "FailedGetPodsMetric"
    public static let failedGetObjectMetric = "FailedGetObjectMetric"
    public static let failedGetExternalMetric = "FailedGetExternalMetric"
    public static let invalidMetricSourceType = "InvalidMetricSourceType"
    // ScalingLimited
    public static let tooFewReplicas = "TooFewReplicas"
    public static let tooManyReplicas = "TooManyReplicas"
    public static let desiredWithinRange = "DesiredWithinRange"
    public static let scaleUpLimit = "ScaleUpLimit"
    public static let scaleDownLimit = "ScaleDownLimit"
}

/// The condition messages, verbatim from horizontal.go.
public enum HPAMessage {
    public static let succeededGetScale = "the HPA controller was able to get the target's current scale"
    public static func failedGetScale(_ error: String) -> String { "the HPA controller was unable to get the target's current scale: \(error)" }
    public static func succeededRescale(_ replicas: Int32) -> String { "the HPA controller was able to update the target scale to \(replicas)" }
    public static func failedUpdateScale(_ error: String) -> String { "the HPA controller was unable to update the target scale: \(error)" }
    public static let readyForNewScale = "recommended size matches current size"
    public static let scaleUpStabilized = "recent recommendations were lower than current one, applying the lowest recent recommendation"
    public static let scaleDownStabilized = "recent recommendations were higher than current one, applying the highest recent recommendation"

    public static func validMetricFound(_ metricName: String) -> String {
        "the HPA was able to successfully calculate a replica count from \(metricName)"
    }
    public static let scalingDisabled = "scaling is disabled since the replica count of the target is zero"
    public static let missingSelector = "the HPA target's scale is missing a selector"
    public static func invalidSelector(_ error: String) -> String {
        "couldn't convert selector into a corresponding internal selector object: \(error)"
    }
    public static func ambiguousSelector(_ selector: String, hpas: [String]) -> String {
        "pods by selector \(selector) are controlled by multiple HPAs: [\(hpas.joined(separator: " "))]"
    }
    /// getUnableComputeReplicaCountCondition.
    public static func unableToComputeReplicaCount(_ error: String) -> String { "the HPA was unable to compute the replica count: \(error)" }

    public static let tooFewReplicas = "the desired replica count is less than the minimum replica count"
    public static let tooManyReplicas = "the desired replica count is more than the maximum replica count"
    public static let desiredWithinRange = "the desired count is within the acceptable range"
    public static let scaleUpLimit = "the desired replica count is increasing faster than the maximum scale rate"
    public static let scaleDownLimit = "the desired replica count is decreasing faster than the maximum scale rate"
}

/// Event reasons and messages, and the rescale reasons that go into them.
public enum HPAEvents {
    public static let successfulRescale = "SuccessfulRescale"
    public static let failedRescale = "FailedRescale"
    public static let failedComputeMetricsReplicas = "FailedComputeMetricsReplicas"
    public static let failedUpdateStatus = "FailedUpdateStatus"
    public static let selectorRequired = "SelectorRequired"

    public static func successfulRescaleMessage(_ replicas: Int32, reason: String) -> String { "New size: \(replicas); reason: \(reason)" }
    public static func failedRescaleMessage(_ replicas: Int32, reason: String, error: String) -> String {
        "New size: \(replicas); reason: \(reason); error: \(error)"
    }

    public static let aboveMaxReplicas = "Current number of replicas above Spec.MaxReplicas"
    public static let belowMinReplicas = "Current number of replicas below Spec.MinReplicas"
    public static let allMetricsBelowTarget = "All metrics below target"
    public static func aboveTarget(_ metricName: String) -> String { "\(metricName) above target" }
}

/// The metric descriptions used in ValidMetricFound and in rescale reasons.
public enum HPAMetricName {
    public static func resourceUtilization(_ resource: String) -> String { "\(resource) resource utilization (percentage of request)" }
    public static func containerResourceUtilization(_ resource: String) -> String {
        "\(resource) container resource utilization (percentage of request)"
    }
    /// Average-value targets, Resource and ContainerResource alike.
    public static func resourceValue(_ resource: String) -> String { "\(resource) resource" }
}
