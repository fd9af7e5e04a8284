import KubeModel

/// Which of a Service's EndpointSlice endpoints get its traffic, as kube-proxy decides
/// (`CategorizeEndpoints` in pkg/proxy/topology.go): the ready ones; when none is ready, those
/// still serving while they terminate (ProxyTerminatingEndpoints), so a rolling update or a drain
/// does not refuse connections that an old pod could still answer.
public enum EndpointSelection {
    /// The endpoints of `port` of `service` listed in `slices` (the Service's slices, those
    /// labelled `kubernetes.io/service-name`), deduplicated by address and sorted, so the same
    /// state always gives the same order (round-robin stays fair across updates).
    public static func endpoints(of service: Service, port reference: ServicePortReference, slices: [EndpointSlice]) -> [ServiceEndpoint] {
        guard let servicePort = reference.match(in: service.spec.ports) else { return [] }
        let portName = servicePort.name ?? ""
        var ready: Set<ServiceEndpoint> = [], terminating: Set<ServiceEndpoint> = []
        for slice in slices where slice.addressType != "FQDN" {
            // The slice's port for this Service port has its name (kube-proxy matches by name
            // and protocol); a slice without it lists no address for this port.
            guard let endpointPort = slice.ports.first(where: { ($0.name ?? "") == portName && ($0.protocol ?? "TCP") == servicePort.protocol }),
                  let number = endpointPort.port else { continue }
            for endpoint in slice.endpoints {
                // kube-proxy uses only the first address of an endpoint.
                guard let ip = endpoint.addresses.first else { continue }
                let pod = endpoint.targetRef.flatMap { ref in ref.name.map { (ref.namespace ?? "") + "/" + $0 } }
                // Unknown conditions read as ready, and serving defaults to ready (discovery/v1).
                let isReady = endpoint.ready ?? true
                let serving = endpoint.serving ?? isReady
                if isReady && endpoint.terminating != true {
                    ready.insert(ServiceEndpoint(ip: ip, port: Int(number), nodeName: endpoint.nodeName, pod: pod, ready: true))
                } else if serving && endpoint.terminating == true {
                    terminating.insert(ServiceEndpoint(ip: ip, port: Int(number), nodeName: endpoint.nodeName, pod: pod, ready: false))
                }
            }
        }
        return (ready.isEmpty ? terminating : ready).sorted { ($0.ip, $0.port) < ($1.ip, $1.port) }
    }
}
