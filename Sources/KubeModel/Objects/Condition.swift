import Foundation

/// A status condition (meta/v1 Condition and the per-kind condition types: PodCondition,
/// NodeCondition, DeploymentCondition, ...), which share these fields.
public struct Condition: JSONView, Equatable {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    public var type: String { string("type") ?? "" }
    /// "True", "False" or "Unknown"; nil when absent.
    public var status: String? { string("status") }
    public var isTrue: Bool { status == "True" }
    public var reason: String? { string("reason") }
    public var message: String? { string("message") }
    public var lastTransitionTime: Date? { time("lastTransitionTime") }
    /// Deployment conditions.
    public var lastUpdateTime: Date? { time("lastUpdateTime") }
    /// Node conditions.
    public var lastHeartbeatTime: Date? { time("lastHeartbeatTime") }
    public var lastProbeTime: Date? { time("lastProbeTime") }
    /// meta/v1 Condition: the generation the condition was set for.
    public var observedGeneration: Int64? { int("observedGeneration") }
}

extension Array where Element == Condition {
    /// The condition of a type, if present.
    public subscript(type type: String) -> Condition? { first { $0.type == type } }
}
