import KubeClient
import KubeModel

/// A Service port's ready endpoints, read from the Services and EndpointSlices informers as
/// ingress-nginx reads them: the slice port with the Service port's name, the first address of
/// each endpoint that is ready and not terminating.
///
/// Stands in for the shared endpoint tracker (`Networking/Endpoints`, branch `proxy`) until that
/// is merged; then `EndpointTracker` conforms to `IngressEndpointSource` and this goes.
public struct InformerEndpoints: IngressEndpointSource {
    let services: Informer
    let slices: Informer

    public init(informers: SharedInformers) {
        services = informers.informer(.builtin("services"))
        slices = informers.informer(.builtin("endpointslices.discovery.k8s.io"))
    }

    public func endpoints(namespace: String, service: String, port: IntOrString) -> [IngressEndpoint] {
        guard let object = services.get(namespace: namespace, name: service) else { return [] }
        let ports = Service(object).spec.ports
        let servicePort: ServicePort?
        switch port {
        case .int(let n): servicePort = ports.first { $0.port == n }
        case .string(let s): servicePort = ports.first { ($0.name ?? "") == s }
        }
        guard let servicePort else { return [] }
        let name = servicePort.name ?? ""
        let selector = LabelSelector([LabelRequirement(key: "kubernetes.io/service-name", op: .equals, values: [service])])
        var out: [IngressEndpoint] = []
        for slice in slices.list(namespace: namespace, selector: selector).map(EndpointSlice.init) where slice.addressType != "FQDN" {
            guard let number = slice.ports.first(where: { ($0.name ?? "") == name })?.port else { continue }
            for endpoint in slice.endpoints where (endpoint.ready ?? true) && endpoint.terminating != true {
                if let ip = endpoint.addresses.first { out.append(IngressEndpoint(ip: ip, port: Int(number))) }
            }
        }
        return out.sorted { ($0.ip, $0.port) < ($1.ip, $1.port) }
    }
}
