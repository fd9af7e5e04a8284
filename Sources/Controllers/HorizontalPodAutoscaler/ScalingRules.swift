import Foundation
import KubeModel

/// autoscaling/v2 HPAScalingPolicy: at most `value` pods (or percent of the pods) added or
/// removed within the last `periodSeconds`.
public struct HPAScalingPolicy: Sendable, Equatable {
    /// `Pods` or `Percent`.
    public enum PolicyType: String, Sendable { case pods = "Pods", percent = "Percent" }
    public var type: PolicyType
    public var value: Int32
    public var periodSeconds: Int32

    public init(type: PolicyType, value: Int32, periodSeconds: Int32) {
        self.type = type
        self.value = value
        self.periodSeconds = periodSeconds
    }

    init?(_ policy: HorizontalPodAutoscalerBehavior.Policy) {
        guard let type = policy.type.flatMap(PolicyType.init) else { return nil }
        self.init(type: type, value: Int32(clamping: policy.value), periodSeconds: Int32(clamping: policy.periodSeconds))
    }
}

/// autoscaling/v2 HPAScalingRules for one direction, with every field filled in as
/// `GenerateHPAScaleUpRules` / `GenerateHPAScaleDownRules` do: unset fields take the defaults.
public struct HPAScalingRules: Sendable, Equatable {
    /// `Max` (the change allowing most), `Min` (least) or `Disabled`; Kubernetes treats any
    /// other value as `Max`.
    public enum SelectPolicy: String, Sendable { case max = "Max", min = "Min", disabled = "Disabled" }

    /// nil only for scale-down rules before the controller fills in its
    /// `--horizontal-pod-autoscaler-downscale-stabilization` window.
    public var stabilizationWindowSeconds: Int32?
    public var selectPolicy: SelectPolicy
    public var policies: [HPAScalingPolicy]
    /// `tolerance`, when the HPA sets one for this direction.
    public var tolerance: Double?

    public init(stabilizationWindowSeconds: Int32?, selectPolicy: SelectPolicy = .max, policies: [HPAScalingPolicy], tolerance: Double? = nil) {
        self.stabilizationWindowSeconds = stabilizationWindowSeconds
        self.selectPolicy = selectPolicy
        self.policies = policies
        self.tolerance = tolerance
    }

    /// Scale up by 4 pods or 100% per 15 s, whichever is more, without stabilization.
    public static let defaultScaleUp = HPAScalingRules(
        stabilizationWindowSeconds: 0, selectPolicy: .max,
        policies: [HPAScalingPolicy(type: .pods, value: 4, periodSeconds: 15), HPAScalingPolicy(type: .percent, value: 100, periodSeconds: 15)])

    /// Scale down by up to 100% per 15 s; the window comes from the controller's flag.
    public static let defaultScaleDown = HPAScalingRules(
        stabilizationWindowSeconds: nil, selectPolicy: .max, policies: [HPAScalingPolicy(type: .percent, value: 100, periodSeconds: 15)])

    /// The rules as written over `defaults` (copyHPAScalingRules: only set fields override).
    public init(_ rules: HorizontalPodAutoscalerBehavior.Rules?, defaults: HPAScalingRules) {
        self = defaults
        guard let rules else { return }
        if let p = rules.selectPolicy { selectPolicy = SelectPolicy(rawValue: p) ?? .max }
        if let w = rules.stabilizationWindowSeconds { stabilizationWindowSeconds = Int32(clamping: w) }
        if let list = rules.policies { policies = list.compactMap(HPAScalingPolicy.init) }
        if let t = rules.tolerance { tolerance = t.value }
    }

    /// The longest policy period: scale events older than it can no longer limit anything.
    var longestPolicyPeriod: Int32 { policies.map(\.periodSeconds).max() ?? 0 }
}

/// autoscaling/v2 HorizontalPodAutoscalerBehavior with both directions filled in.
public struct HPABehavior: Sendable, Equatable {
    public var scaleUp: HPAScalingRules
    public var scaleDown: HPAScalingRules

    public init(scaleUp: HPAScalingRules = .defaultScaleUp, scaleDown: HPAScalingRules = .defaultScaleDown) {
        self.scaleUp = scaleUp
        self.scaleDown = scaleDown
    }

    /// `spec.behavior`; nil when the HPA has none, which selects the legacy normalization.
    public init?(_ behavior: HorizontalPodAutoscalerBehavior?) {
        guard let behavior else { return nil }
        self.init(scaleUp: HPAScalingRules(behavior.scaleUp, defaults: .defaultScaleUp),
                  scaleDown: HPAScalingRules(behavior.scaleDown, defaults: .defaultScaleDown))
    }

    /// The per-direction tolerances, defaulting to the controller's.
    public func tolerances(default tolerance: Double = Tolerances.defaultTolerance) -> Tolerances {
        Tolerances(scaleDown: scaleDown.tolerance ?? tolerance, scaleUp: scaleUp.tolerance ?? tolerance)
    }
}
