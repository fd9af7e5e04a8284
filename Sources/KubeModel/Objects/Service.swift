/// core/v1 Service.
public struct Service: SpecAndStatus {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    /// core/v1 ServiceSpec. Where Kubernetes defaults a field the view says so; the list fields
    /// that describe shows only when present read nil when absent.
    public struct Spec: JSONView {
        public let json: JSONValue
        public init(_ json: JSONValue) { self.json = json }

        /// `ClusterIP` (the default), `NodePort`, `LoadBalancer` or `ExternalName`.
        public var type: String { string("type") ?? "ClusterIP" }
        /// nil when absent: a Service without a selector has its endpoints managed by hand.
        public var selector: [String: String]? { json["selector"]?.objectValue == nil ? nil : stringMap("selector") }
        public var ports: [ServicePort] { views("ports") }
        public var clusterIP: String? { string("clusterIP") }
        public var clusterIPs: [String]? { json["clusterIPs"]?.arrayValue == nil ? nil : strings("clusterIPs") }
        public var ipFamilyPolicy: String? { string("ipFamilyPolicy") }
        public var ipFamilies: [String]? { json["ipFamilies"]?.arrayValue == nil ? nil : strings("ipFamilies") }
        public var externalName: String? { string("externalName") }
        public var externalIPs: [String] { strings("externalIPs") }
        /// `None` (the default) or `ClientIP`.
        public var sessionAffinity: String { string("sessionAffinity") ?? "None" }
        /// `sessionAffinityConfig.clientIP.timeoutSeconds`, 10800 (3 hours) when absent.
        public var sessionAffinityTimeoutSeconds: Int64 { json["sessionAffinityConfig"]?["clientIP"]?["timeoutSeconds"]?.intValue ?? 10800 }
        public var internalTrafficPolicy: String? { string("internalTrafficPolicy") }
        public var externalTrafficPolicy: String? { string("externalTrafficPolicy") }
        public var loadBalancerIP: String? { string("loadBalancerIP") }
        /// Pods are endpoints (and DNS records) before they are ready.
        public var publishNotReadyAddresses: Bool { bool("publishNotReadyAddresses") ?? false }
    }

    /// core/v1 ServiceStatus.
    public struct Status: JSONView {
        public let json: JSONValue
        public init(_ json: JSONValue) { self.json = json }

        public var loadBalancer: LoadBalancerStatus { view("loadBalancer") }
        public var conditions: [Condition] { views("conditions") }
    }
}

/// core/v1 ServicePort.
public struct ServicePort: JSONView {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    /// nil or "" for the only port of a Service.
    public var name: String? { string("name") }
    /// `TCP` (the default), `UDP` or `SCTP`.
    public var `protocol`: String { string("protocol") ?? "TCP" }
    public var port: Int64 { int("port") ?? 0 }
    /// A number or a named container port; nil when absent (the API server defaults it to `port`).
    public var targetPort: IntOrString? { json["targetPort"].flatMap(IntOrString.init) }
    /// nil unless the Service is a NodePort or LoadBalancer.
    public var nodePort: Int64? { int("nodePort") }
    public var appProtocol: String? { string("appProtocol") }
}

/// core/v1 LoadBalancerStatus, and networking/v1 IngressLoadBalancerStatus, which has the same
/// shape.
public struct LoadBalancerStatus: JSONView {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    public var ingress: [LoadBalancerIngress] { views("ingress") }
}

/// core/v1 LoadBalancerIngress: an IP, a hostname, or both.
public struct LoadBalancerIngress: JSONView {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    public var ip: String? { string("ip") }
    public var hostname: String? { string("hostname") }
}
