/// networking.k8s.io/v1 Ingress.
public struct Ingress: SpecAndStatus {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    /// networking/v1 IngressSpec.
    public struct Spec: JSONView {
        public let json: JSONValue
        public init(_ json: JSONValue) { self.json = json }

        /// nil: the cluster's default IngressClass, if any, serves it.
        public var ingressClassName: String? { string("ingressClassName") }
        /// Where requests that match no rule go; nil leaves that to the controller.
        public var defaultBackend: IngressBackend? { json["defaultBackend"].map(IngressBackend.init) }
        public var tls: [IngressTLS] { views("tls") }
        public var rules: [IngressRule] { views("rules") }
    }

    /// networking/v1 IngressStatus.
    public struct Status: JSONView {
        public let json: JSONValue
        public init(_ json: JSONValue) { self.json = json }

        public var loadBalancer: LoadBalancerStatus { view("loadBalancer") }
    }
}

/// networking/v1 IngressRule: a host (any when absent) and its HTTP paths.
public struct IngressRule: JSONView {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    public var host: String? { string("host") }
    /// The `http.paths` list; empty when the rule has no `http`.
    public var paths: [HTTPIngressPath] { (json["http"]?["paths"]?.arrayValue ?? []).map(HTTPIngressPath.init) }
}

/// networking/v1 HTTPIngressPath.
public struct HTTPIngressPath: JSONView {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    public var path: String? { string("path") }
    /// `Exact`, `Prefix` or `ImplementationSpecific`; required on v1.
    public var pathType: String? { string("pathType") }
    public var backend: IngressBackend { view("backend") }
}

/// networking/v1 IngressBackend: a Service port, or a resource of another kind.
public struct IngressBackend: JSONView {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    /// nil when the backend is a `resource`.
    public var service: IngressServiceBackend? { json["service"].map(IngressServiceBackend.init) }
    /// A TypedLocalObjectReference (`apiGroup`, `kind`, `name`); nil for a Service backend.
    public var resource: JSONValue? { json["resource"] }
}

/// networking/v1 IngressServiceBackend.
public struct IngressServiceBackend: JSONView {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    public var name: String { string("name") ?? "" }
    /// The port by number or by name (a ServiceBackendPort sets one of the two); nil when neither.
    public var port: IntOrString? {
        let port = json["port"]
        if let n = port?["number"]?.intValue { return .int(n) }
        return port?["name"]?.stringValue.map(IntOrString.string)
    }
}

/// networking/v1 IngressTLS.
public struct IngressTLS: JSONView {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    public var hosts: [String] { strings("hosts") }
    /// nil: the controller terminates TLS with its default certificate (by SNI).
    public var secretName: String? { string("secretName") }
}
