/// core/v1 Affinity: where a pod may and would rather run.
public struct Affinity: JSONView {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    public var nodeAffinity: NodeAffinity { view("nodeAffinity") }
    public var podAffinity: PodAffinity { view("podAffinity") }
    public var podAntiAffinity: PodAffinity { view("podAntiAffinity") }
}

/// core/v1 NodeAffinity.
public struct NodeAffinity: JSONView {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    /// nil when the pod has no required node affinity (every node matches).
    public var required: [NodeSelectorTerm]? {
        json["requiredDuringSchedulingIgnoredDuringExecution"]?["nodeSelectorTerms"]?.arrayValue.map { $0.map(NodeSelectorTerm.init) }
    }
    public var preferred: [(weight: Int64, preference: NodeSelectorTerm)] {
        (json["preferredDuringSchedulingIgnoredDuringExecution"]?.arrayValue ?? []).map {
            ($0["weight"]?.intValue ?? 0, NodeSelectorTerm($0["preference"] ?? .emptyObject))
        }
    }
}

/// core/v1 PodAffinity and PodAntiAffinity, which have the same shape.
public struct PodAffinity: JSONView {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    public var required: [PodAffinityTerm] { views("requiredDuringSchedulingIgnoredDuringExecution") }
    public var preferred: [(weight: Int64, term: PodAffinityTerm)] {
        (json["preferredDuringSchedulingIgnoredDuringExecution"]?.arrayValue ?? []).map {
            ($0["weight"]?.intValue ?? 0, PodAffinityTerm($0["podAffinityTerm"] ?? .emptyObject))
        }
    }
}

/// core/v1 PodAffinityTerm.
public struct PodAffinityTerm: JSONView {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    /// nil when absent: such a term selects no pod.
    public var labelSelector: JSONValue? { json["labelSelector"].flatMap { $0.isNull ? nil : $0 } }
    public var namespaces: [String] { strings("namespaces") }
    /// `{}` selects every namespace; nil when absent.
    public var namespaceSelector: JSONValue? { json["namespaceSelector"] }
    public var topologyKey: String { string("topologyKey") ?? "" }
}

/// core/v1 TopologySpreadConstraint, with Kubernetes' defaults for the optional fields.
public struct TopologySpreadConstraint: JSONView {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    public var maxSkew: Int64 { int("maxSkew") ?? 1 }
    public var topologyKey: String { string("topologyKey") ?? "" }
    public var whenUnsatisfiable: String { string("whenUnsatisfiable") ?? "DoNotSchedule" }
    public var labelSelector: JSONValue? { json["labelSelector"].flatMap { $0.isNull ? nil : $0 } }
    public var minDomains: Int64 { int("minDomains") ?? 1 }
    public var nodeAffinityPolicy: String { string("nodeAffinityPolicy") ?? "Honor" }
    public var nodeTaintsPolicy: String { string("nodeTaintsPolicy") ?? "Ignore" }
}
