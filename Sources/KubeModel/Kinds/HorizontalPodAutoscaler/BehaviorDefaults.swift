import Foundation

/// autoscaling/v2 `SetDefaults_HorizontalPodAutoscalerBehavior`, on the stored JSON: when the
/// HPA has a `spec.behavior`, each direction's unset fields are filled in (an HPA without one
/// keeps none, and the controller then uses its legacy rules). The scale-down window is left
/// unset on purpose: the controller fills it from `--horizontal-pod-autoscaler-downscale-stabilization`.
public enum BehaviorDefaults {
    public static func apply(toSpec spec: inout JSONValue) {
        guard var behavior = spec["behavior"], behavior.objectValue != nil else { return }
        behavior["scaleUp"] = filled(behavior["scaleUp"], window: 0, policies: [
            ["type": "Pods", "value": 4, "periodSeconds": 15],
            ["type": "Percent", "value": 100, "periodSeconds": 15],
        ])
        behavior["scaleDown"] = filled(behavior["scaleDown"], window: nil, policies: [
            ["type": "Percent", "value": 100, "periodSeconds": 15],
        ])
        spec["behavior"] = behavior
    }

    private static func filled(_ rules: JSONValue?, window: Int64?, policies: JSONValue) -> JSONValue {
        var r = (rules?.objectValue != nil ? rules : nil) ?? .emptyObject
        if r["selectPolicy"] == nil || r["selectPolicy"] == .null { r["selectPolicy"] = "Max" }
        if let window, r["stabilizationWindowSeconds"] == nil || r["stabilizationWindowSeconds"] == .null {
            r["stabilizationWindowSeconds"] = .int(window)
        }
        if r["policies"] == nil || r["policies"] == .null { r["policies"] = policies }
        return r
    }
}
