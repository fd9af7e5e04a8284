/// core/v1 Node.
public struct Node: SpecAndStatus {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    /// core/v1 NodeSpec.
    public struct Spec: JSONView {
        public let json: JSONValue
        public init(_ json: JSONValue) { self.json = json }

        public var unschedulable: Bool { bool("unschedulable") ?? false }
        public var taints: [Taint] { (json["taints"]?.arrayValue ?? []).map(Taint.init) }
        public var podCIDR: String? { string("podCIDR") }
        public var podCIDRs: [String] { strings("podCIDRs") }
        public var providerID: String? { string("providerID") }
    }

    /// core/v1 NodeStatus.
    public struct Status: JSONView {
        public let json: JSONValue
        public init(_ json: JSONValue) { self.json = json }

        public var capacity: ResourceQuantities? { json["capacity"].map(ResourceQuantities.init) }
        public var allocatable: ResourceQuantities? { json["allocatable"].map(ResourceQuantities.init) }
        public var conditions: [Condition] { views("conditions") }
        public var addresses: [(type: String, address: String)] {
            (json["addresses"]?.arrayValue ?? []).map { ($0["type"]?.stringValue ?? "", $0["address"]?.stringValue ?? "") }
        }
        public var nodeInfo: JSONValue? { json["nodeInfo"] }
    }
}

/// A core/v1 ResourceList as written (`cpu: "2"`, `memory: 4Gi`, `pods: 110`): quantities by
/// resource name, each a string or a number.
public struct ResourceQuantities: JSONView {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    public subscript(name name: String) -> Quantity? { quantity(name) }
    public var names: [String] { json.objectValue.map { Array($0.keys) } ?? [] }
    public var list: ResourceList { ResourceList(json) }
}
