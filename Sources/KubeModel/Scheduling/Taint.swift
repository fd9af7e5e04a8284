/// A node taint and a pod toleration (core/v1 Taint, Toleration), with the matching rules of
/// k8s.io/api/core/v1/toleration.go. Shared by the scheduler, the node lifecycle controller and
/// the API server's default tolerations.
public struct Taint: Sendable, Hashable {
    public var key: String
    public var value: String
    public var effect: String
    /// When a NoExecute taint was added (`timeAdded`), for eviction deadlines.
    public var timeAdded: String?

    public init(key: String, value: String = "", effect: String, timeAdded: String? = nil) {
        self.key = key
        self.value = value
        self.effect = effect
        self.timeAdded = timeAdded
    }

    public init(_ json: JSONValue) {
        key = json["key"]?.stringValue ?? ""
        value = json["value"]?.stringValue ?? ""
        effect = json["effect"]?.stringValue ?? ""
        timeAdded = json["timeAdded"]?.stringValue
    }

    public var json: JSONValue {
        var o: JSONValue = ["key": .string(key), "effect": .string(effect)]
        if !value.isEmpty { o["value"] = .string(value) }
        if let timeAdded { o["timeAdded"] = .string(timeAdded) }
        return o
    }

    /// The taints of a Node object.
    public static func of(node: JSONValue) -> [Taint] {
        Node(node).spec.taints
    }

    /// `key=value:Effect`, as kubectl and events print a taint.
    public var description: String { value.isEmpty ? "\(key):\(effect)" : "\(key)=\(value):\(effect)" }

    public static let notReady = "node.kubernetes.io/not-ready"
    public static let unreachable = "node.kubernetes.io/unreachable"
    public static let unschedulable = "node.kubernetes.io/unschedulable"
}

public struct Toleration: Sendable, Hashable {
    public var key: String
    /// `Equal` (the default) or `Exists`.
    public var op: String
    public var value: String
    /// Empty matches every effect.
    public var effect: String
    /// For NoExecute: how long the pod stays bound after the taint appears; nil is forever.
    public var seconds: Int64?

    public init(key: String, op: String = "Equal", value: String = "", effect: String = "", seconds: Int64? = nil) {
        self.key = key
        self.op = op
        self.value = value
        self.effect = effect
        self.seconds = seconds
    }

    public init(_ json: JSONValue) {
        key = json["key"]?.stringValue ?? ""
        op = json["operator"]?.stringValue ?? "Equal"
        value = json["value"]?.stringValue ?? ""
        effect = json["effect"]?.stringValue ?? ""
        seconds = json["tolerationSeconds"]?.intValue
    }

    public var json: JSONValue {
        var o: JSONValue = ["key": .string(key), "operator": .string(op), "effect": .string(effect)]
        if !value.isEmpty { o["value"] = .string(value) }
        if let seconds { o["tolerationSeconds"] = .int(seconds) }
        return o
    }

    /// The tolerations of a Pod object.
    public static func of(pod: JSONValue) -> [Toleration] {
        Pod(pod).spec.tolerations
    }

    /// An empty key with `Exists` tolerates everything; otherwise key, effect and value must match.
    public func tolerates(_ t: Taint) -> Bool {
        if !effect.isEmpty && effect != t.effect { return false }
        if !key.isEmpty && key != t.key { return false }
        switch op {
        case "Exists": return true
        case "Equal", "": return value == t.value
        default: return false
        }
    }
}

extension Array where Element == Toleration {
    /// Whether some toleration tolerates the taint.
    public func tolerate(_ t: Taint) -> Bool { contains { $0.tolerates(t) } }
}
