/// Node selector terms (core/v1 NodeSelectorTerm): `matchExpressions` against a node's labels
/// and `matchFields` against `metadata.name`; terms are ORed, requirements within a term ANDed,
/// as in k8s.io/component-helpers/scheduling/corev1/nodeaffinity.
public struct NodeSelectorRequirement: Sendable, Hashable {
    public var key: String
    public var op: String
    public var values: [String]

    public init(key: String, op: String, values: [String] = []) {
        self.key = key
        self.op = op
        self.values = values
    }

    public init(_ json: JSONValue) {
        key = json["key"]?.stringValue ?? ""
        op = json["operator"]?.stringValue ?? ""
        values = (json["values"]?.arrayValue ?? []).compactMap(\.stringValue)
    }

    public func matches(_ value: String?) -> Bool {
        switch op {
        case "In": return value.map { values.contains($0) } ?? false
        case "NotIn": return value.map { !values.contains($0) } ?? true
        case "Exists": return value != nil
        case "DoesNotExist": return value == nil
        case "Gt", "Lt":
            guard let value, let have = Int64(value), values.count == 1, let want = Int64(values[0]) else { return false }
            return op == "Gt" ? have > want : have < want
        default: return false
        }
    }
}

public struct NodeSelectorTerm: Sendable, Hashable {
    public var expressions: [NodeSelectorRequirement]
    public var fields: [NodeSelectorRequirement]

    public init(expressions: [NodeSelectorRequirement] = [], fields: [NodeSelectorRequirement] = []) {
        self.expressions = expressions
        self.fields = fields
    }

    public init(_ json: JSONValue) {
        expressions = (json["matchExpressions"]?.arrayValue ?? []).map(NodeSelectorRequirement.init)
        fields = (json["matchFields"]?.arrayValue ?? []).map(NodeSelectorRequirement.init)
    }

    /// An empty term matches nothing.
    public func matches(name: String, labels: [String: String]) -> Bool {
        if expressions.isEmpty && fields.isEmpty { return false }
        for r in expressions where !r.matches(labels[r.key]) { return false }
        for r in fields where !r.matches(r.key == "metadata.name" ? name : nil) { return false }
        return true
    }
}

extension Array where Element == NodeSelectorTerm {
    /// Terms are ORed.
    public func matchesAny(name: String, labels: [String: String]) -> Bool {
        contains { $0.matches(name: name, labels: labels) }
    }
}
