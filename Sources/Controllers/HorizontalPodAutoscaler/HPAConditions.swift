import Foundation
import KubeModel

/// One condition the HPA controller sets (status `True`/`False`), as `setCondition` takes it.
public struct HPAConditionUpdate: Sendable, Equatable {
    /// The autoscaling/v2 HorizontalPodAutoscalerConditionType values.
    public enum ConditionType: String, Sendable {
        /// Whether the target's scale can be read and written, and whether backoff applies.
        case ableToScale = "AbleToScale"
        /// Whether a replica count could be computed from the metrics.
        case scalingActive = "ScalingActive"
        /// Whether the count was clamped by min/max replicas or the scaling rate.
        case scalingLimited = "ScalingLimited"
    }

    public var type: ConditionType
    public var status: Bool
    public var reason: String
    public var message: String

    public init(_ type: ConditionType, _ status: Bool, _ reason: String, _ message: String) {
        self.type = type
        self.status = status
        self.reason = reason
        self.message = message
    }

    /// setConditionInList: replaces (or appends) the condition of this type in
    /// `status.conditions`; `lastTransitionTime` moves only when the status changes.
    public func applied(to conditions: [JSONValue], now: Date) -> [JSONValue] {
        var list = conditions
        let index = list.firstIndex { Condition($0).type == type.rawValue } ?? {
            list.append(["type": .string(type.rawValue)])
            return list.count - 1
        }()
        var condition = list[index]
        let statusText = status ? "True" : "False"
        if Condition(condition).status != statusText {
            condition["lastTransitionTime"] = .string(Timestamp.format(now))
        }
        condition["status"] = .string(statusText)
        condition["reason"] = .string(reason)
        condition["message"] = .string(message)
        list[index] = condition
        return list
    }
}

/// A Kubernetes event the controller would record on the HPA.
public struct HPAEvent: Sendable, Equatable {
    /// `Normal` or `Warning`.
    public var type: String
    public var reason: String
    public var message: String

    public init(type: String, reason: String, message: String) {
        self.type = type
        self.reason = reason
        self.message = message
    }
}
