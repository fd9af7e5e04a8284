import KubeModel

/// Where a `services/proxy` or `pods/proxy` request goes: kube-apiserver's ResourceLocation for
/// services (`pkg/registry/core/service/storage`) and for pods (`pkg/registry/core/pod/strategy.go`).
struct ProxyLocation: Equatable {
    /// `http` or `https`.
    let scheme: String
    let host: String
    /// nil: the scheme's default port (a pod without a container port, named without one).
    let port: Int?

    var authority: String { port.map { "\(host):\($0)" } ?? host }

    /// utilnet.SplitSchemeNamePort: `name`, `name:port` or `scheme:name:port`, the scheme `http`,
    /// `https` or empty, the name not empty.
    static func splitSchemeNamePort(_ id: String) -> (scheme: String, name: String, port: String)? {
        let parts = id.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        let scheme: String, name: String, port: String
        switch parts.count {
        case 1: (scheme, name, port) = ("", parts[0], "")
        case 2: (scheme, name, port) = ("", parts[0], parts[1])
        case 3: (scheme, name, port) = (parts[0], parts[1], parts[2])
        default: return nil
        }
        guard !name.isEmpty, ["", "http", "https"].contains(scheme) else { return nil }
        return (scheme, name, port)
    }

    /// A Service's location: a port number is first turned into the Service port's name, then a
    /// ready address of the endpoints carrying that port name is picked, whose pod still has that
    /// IP (isValidAddress). Endpoints are read as kube-apiserver reads them; where no Endpoints
    /// object exists yet, the Service's EndpointSlices stand in for it.
    static func service(_ api: APIService, namespace: String, id: String) throws -> ProxyLocation {
        guard let (scheme, name, portText) = splitSchemeNamePort(id) else {
            throw APIError.badRequest("invalid service request \(ContainerQuote.go(id))")
        }
        var portName = portText
        if let number = Int64(portText) {
            let service = Service(try api.get(try info(api, "", "v1", "services"), namespace: namespace, name: name))
            guard let port = service.spec.ports.first(where: { $0.port == number }) else {
                throw serviceUnavailable("no service port \(number) found for service \(ContainerQuote.go(name))")
            }
            portName = port.name ?? ""
        }
        let subsets = try EndpointSubset.read(api, namespace: namespace, service: name)
        if subsets.isEmpty { throw serviceUnavailable("no endpoints available for service \(ContainerQuote.go(name))") }
        let pods = try info(api, "", "v1", "pods")
        for subset in subsets.shuffled() where !subset.addresses.isEmpty {
            guard let port = subset.ports.first(where: { $0.name == portName }) else { continue }
            for address in subset.addresses.shuffled() {
                guard let pod = address.pod, let object = try? api.get(pods, namespace: namespace, name: pod),
                      Pod(object).status.podIPs.contains(address.ip) || Pod(object).status.podIP == address.ip
                else { continue }
                let dialled = dialling(api, pod: Pod(object), ip: address.ip, port: port.port)
                return ProxyLocation(scheme: scheme.isEmpty ? "http" : scheme, host: dialled.ip, port: dialled.port)
            }
        }
        throw serviceUnavailable("no endpoints available for service \(ContainerQuote.go(id))")
    }

    /// A pod's location: its IP and the port named, else its first container port. Kubernetes
    /// refuses any address that is not global unicast; kplane's pods without a network namespace
    /// have loopback addresses (127.0.0.0/8), which are allowed here, and only those.
    static func pod(_ api: APIService, namespace: String, id: String) throws -> ProxyLocation {
        guard let (scheme, name, portText) = splitSchemeNamePort(id) else {
            throw APIError.badRequest("invalid pod request \(ContainerQuote.go(id))")
        }
        let pod = Pod(try api.get(try info(api, "", "v1", "pods"), namespace: namespace, name: name))
        var port = portText
        if port.isEmpty, let first = pod.spec.containers.lazy.compactMap({ $0.ports.first?.containerPort }).first {
            port = String(first)
        }
        let ip = pod.status.podIPs.first ?? pod.status.podIP ?? ""
        guard isAllowed(ip) else { throw APIError.badRequest("address not allowed") }
        // A port Go's url.Parse would refuse later is a malformed URL there: a 500 with its text.
        guard port.isEmpty || Int(port).map({ (0...65535).contains($0) }) == true else {
            throw APIError.internalError("parse \"\(scheme.isEmpty ? "" : scheme + "://")\(ip):\(port)\": invalid port \":\(port)\" after host")
        }
        let dialled = dialling(api, pod: pod, ip: ip, port: Int(port))
        return ProxyLocation(scheme: scheme.isEmpty ? "http" : scheme, host: dialled.ip, port: dialled.port)
    }

    /// Where to dial a pod's address: a pod on a simulated node answers on the loopback twin of
    /// its address (`SimulatedPodAddress`), which no packet to its `10.x` address would reach (and
    /// such a packet, unrouted, would leave the machine).
    static func dialling(_ api: APIService, pod: Pod, ip: String, port: Int?) -> (ip: String, port: Int?) {
        guard let nodeName = pod.spec.nodeName, let nodes = api.catalog.find(group: "", version: "v1", plural: "nodes"),
              let node = try? api.get(nodes, namespace: nil, name: nodeName),
              node.metaLabels["type"] == SimulatedPodAddress.nodeType,
              let twin = SimulatedPodAddress.answering(ip: ip, port: port ?? 80) else { return (ip, port) }
        return (twin.ip, port == nil ? nil : twin.port)
    }

    /// IPv4 global unicast (what net.IP.IsGlobalUnicast accepts), or kplane's loopback pod
    /// addresses. IPv6 pod addresses are not handed out by kplane.
    static func isAllowed(_ ip: String) -> Bool {
        let parts = ip.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return false }
        let octets = parts.compactMap { UInt8($0) }
        guard octets.count == 4 else { return false }
        if octets[0] == 127 { return true }
        if octets == [0, 0, 0, 0] || octets == [255, 255, 255, 255] { return false }
        if octets[0] >= 224 { return false }  // multicast and reserved
        if octets[0] == 169 && octets[1] == 254 { return false }  // link-local
        return octets[0] != 0
    }

    static func serviceUnavailable(_ message: String) -> APIError {
        APIError(code: 503, reason: "ServiceUnavailable", message: message)
    }

    private static func info(_ api: APIService, _ group: String, _ version: String, _ plural: String) throws -> ResourceInfo {
        guard let info = api.catalog.find(group: group, version: version, plural: plural) else { throw APIError.resourceNotFound() }
        return info
    }
}

/// One subset of a core/v1 Endpoints object, as ResourceLocation walks it: ready addresses and
/// the named ports they serve.
struct EndpointSubset {
    struct Address {
        let ip: String
        /// The pod the address belongs to (targetRef of kind Pod), if any.
        let pod: String?
    }
    struct Port {
        let name: String
        let port: Int
    }
    var addresses: [Address]
    var ports: [Port]

    /// The Service's Endpoints; where there is none, its EndpointSlices (ready endpoints only);
    /// where there is neither, the Endpoints' NotFound.
    static func read(_ api: APIService, namespace: String, service: String) throws -> [EndpointSubset] {
        guard let endpoints = api.catalog.find(group: "", version: "v1", plural: "endpoints") else { throw APIError.resourceNotFound() }
        let result = Result { () throws(APIError) -> JSONValue in try api.get(endpoints, namespace: namespace, name: service) }
        switch result {
        case .success(let object):
            return fromEndpoints(object)
        case .failure(let error):
            guard error.code == 404, let info = api.catalog.find(group: "discovery.k8s.io", version: "v1", plural: "endpointslices") else { throw error }
            var options = ListOptions()
            options.labelSelector = "kubernetes.io/service-name=\(service)"
            let slices = (try api.list(info, namespace: namespace, options: options)["items"]?.arrayValue ?? []).map(EndpointSlice.init)
            if slices.isEmpty { throw error }
            return slices.map(fromSlice)
        }
    }

    private static func fromEndpoints(_ object: JSONValue) -> [EndpointSubset] {
        (object["subsets"]?.arrayValue ?? []).map { subset in
            let addresses = (subset["addresses"]?.arrayValue ?? []).map { a in
                Address(ip: a["ip"]?.stringValue ?? "", pod: a["targetRef"]?["kind"]?.stringValue == "Pod" ? a["targetRef"]?["name"]?.stringValue : nil)
            }
            let ports = (subset["ports"]?.arrayValue ?? []).map { Port(name: $0["name"]?.stringValue ?? "", port: Int($0["port"]?.intValue ?? 0)) }
            return EndpointSubset(addresses: addresses, ports: ports)
        }
    }

    private static func fromSlice(_ slice: EndpointSlice) -> EndpointSubset {
        var addresses: [Address] = []
        for endpoint in slice.endpoints where endpoint.ready ?? true {
            let pod = endpoint.targetRef.flatMap { $0.kind == "Pod" ? $0.name : nil }
            addresses += endpoint.addresses.map { Address(ip: $0, pod: pod) }
        }
        let ports = slice.ports.compactMap { p in p.port.map { Port(name: p.name ?? "", port: Int($0)) } }
        return EndpointSubset(addresses: addresses, ports: ports)
    }
}
