/// discovery.k8s.io/v1 EndpointSlice: some of a Service's endpoints.
public struct EndpointSlice: KubeObject {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    /// `IPv4`, `IPv6` or `FQDN`.
    public var addressType: String? { string("addressType") }
    public var endpoints: [Endpoint] { views("endpoints") }
    public var ports: [EndpointPort] { views("ports") }

    /// discovery/v1 Endpoint.
    public struct Endpoint: JSONView {
        public let json: JSONValue
        public init(_ json: JSONValue) { self.json = json }

        public var addresses: [String] { strings("addresses") }
        /// nil when unknown, which consumers read as ready.
        public var ready: Bool? { json["conditions"]?["ready"]?.boolValue }
        public var serving: Bool? { json["conditions"]?["serving"]?.boolValue }
        public var terminating: Bool? { json["conditions"]?["terminating"]?.boolValue }
        public var nodeName: String? { string("nodeName") }
        public var targetRef: ObjectReference? { json["targetRef"].map(ObjectReference.init) }
        public var hostname: String? { string("hostname") }
        public var zone: String? { string("zone") }
    }
}

/// discovery/v1 EndpointPort.
public struct EndpointPort: JSONView {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    public var name: String? { string("name") }
    /// nil: all ports.
    public var port: Int64? { int("port") }
    public var `protocol`: String? { string("protocol") }
}
