import KubeModel

/// A Service by namespace and name: the key the tracker reports changes under.
public struct ServiceKey: Hashable, Sendable, CustomStringConvertible {
    public let namespace: String
    public let name: String
    public init(namespace: String, name: String) {
        self.namespace = namespace
        self.name = name
    }
    public var description: String { "\(namespace)/\(name)" }
}

/// One of a Service's ports, as an Ingress backend (`service.port.number` or `.name`) or a
/// client names it.
public enum ServicePortReference: Hashable, Sendable, CustomStringConvertible, ExpressibleByIntegerLiteral, ExpressibleByStringLiteral {
    case number(Int)
    case name(String)
    public init(integerLiteral value: Int) { self = .number(value) }
    public init(stringLiteral value: String) { self = .name(value) }
    public var description: String {
        switch self {
        case .number(let n): "\(n)"
        case .name(let s): s
        }
    }

    /// The port number, when the reference is one.
    public var number: Int? {
        if case .number(let n) = self { return n }
        return nil
    }

    /// The Service's port this reference names, if any.
    public func match(in ports: [ServicePort]) -> ServicePort? {
        switch self {
        case .number(let n): ports.first { $0.port == Int64(n) }
        case .name(let s): ports.first { ($0.name ?? "") == s }
        }
    }
}

/// One address a Service port's traffic may go to: an EndpointSlice endpoint's first address and
/// the slice's port for that Service port.
public struct ServiceEndpoint: Hashable, Sendable, CustomStringConvertible {
    public let ip: String
    public let port: Int
    /// The node the endpoint runs on (the slice's `nodeName`), when the slice says.
    public let nodeName: String?
    /// `namespace/name` of the pod behind the endpoint (`targetRef`), when the slice says.
    public let pod: String?
    /// False when the endpoint is only serving while it terminates (used when none is ready).
    public let ready: Bool

    public init(ip: String, port: Int, nodeName: String? = nil, pod: String? = nil, ready: Bool = true) {
        self.ip = ip
        self.port = port
        self.nodeName = nodeName
        self.pod = pod
        self.ready = ready
    }

    public var description: String { ip.contains(":") ? "[\(ip)]:\(port)" : "\(ip):\(port)" }
}
