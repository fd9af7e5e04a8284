/// networking.k8s.io/v1 IngressClass: which controller serves the Ingresses naming it.
public struct IngressClass: KubeObject {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    /// `spec.controller`, such as `k8s.io/ingress-nginx`.
    public var controller: String? { json["spec"]?["controller"]?.stringValue }
    /// The `ingressclass.kubernetes.io/is-default-class: "true"` annotation: Ingresses naming no
    /// class are this class's.
    public var isDefault: Bool { metadata.annotations["ingressclass.kubernetes.io/is-default-class"] == "true" }
}
