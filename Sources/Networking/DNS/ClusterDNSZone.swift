import KubeModel

/// The answers of the cluster's DNS zone, as CoreDNS's `kubernetes` plugin gives them (the
/// Kubernetes DNS-Based Service Discovery specification): `<svc>.<ns>.svc.<domain>` is the
/// ClusterIP of a Service, the ready endpoints of a headless one, or a CNAME to an ExternalName
/// Service's name; `<endpoint>.<svc>.<ns>.svc.<domain>` a headless Service's endpoint, named by
/// its hostname or its dashed address (`10-244-1-5`); `_<port>._<proto>.<svc>.<ns>.svc.<domain>`
/// (SRV) a named port, pointing at the Service or, when headless, at each ready endpoint;
/// `<a-b-c-d>.<ns>.pod.<domain>` the address the name spells (`pods insecure`, kubeadm's
/// default). Other names in the domain do not exist (NXDOMAIN), nor do single-label names (what
/// a search list tries last); other names are refused: no query leaves the machine for an
/// upstream resolver.
public struct ClusterDNSZone: Sendable {
    public let domain: String
    /// CoreDNS's default TTL for cluster records.
    public static let ttl: UInt32 = 5
    let service: @Sendable (_ namespace: String, _ name: String) -> JSONValue?
    let slices: @Sendable (_ namespace: String, _ service: String) -> [JSONValue]

    public init(domain: String = "cluster.local", service: @escaping @Sendable (String, String) -> JSONValue?,
                slices: @escaping @Sendable (String, String) -> [JSONValue]) {
        self.domain = domain.lowercased()
        self.service = service
        self.slices = slices
    }

    /// The response to a query.
    public func answer(_ query: DNSMessage) -> DNSMessage {
        var reply = DNSMessage(id: query.id, isResponse: true, questions: query.questions)
        reply.opcode = query.opcode
        reply.recursionDesired = query.recursionDesired
        guard query.opcode == 0, let q = query.questions.first, query.questions.count == 1 else {
            reply.responseCode = query.opcode == 0 ? .formatError : .notImplemented
            return reply
        }
        switch records(q.name, type: q.type) {
        case nil: reply.responseCode = .refused
        case .some(nil):
            reply.authoritative = true
            reply.responseCode = .nameError
        case .some(let records?):
            reply.authoritative = true
            reply.answers = records
        }
        return reply
    }

    /// nil: not our domain; .some(nil): no such name; otherwise the records (maybe none).
    func records(_ name: String, type: UInt16) -> [DNSMessage.Record]?? {
        let suffix = ".svc." + domain
        guard name == domain || name.hasSuffix("." + domain) else { return name.contains(".") ? nil : .some(nil) }
        if name.hasSuffix(".pod." + domain) { return podRecords(name, type: type) }
        guard name.hasSuffix(suffix) else { return .some(nil) }
        let labels = name.dropLast(suffix.count).split(separator: ".").map(String.init)
        switch labels.count {
        case 2: return serviceRecords(name, namespace: labels[1], service: labels[0], type: type)
        case 3: return hostRecords(name, namespace: labels[2], service: labels[1], hostname: labels[0], type: type)
        case 4 where labels[0].hasPrefix("_") && labels[1].hasPrefix("_"):
            return srvRecords(name, namespace: labels[3], service: labels[2], port: String(labels[0].dropFirst()), proto: String(labels[1].dropFirst()), type: type)
        default: return .some(nil)
        }
    }

    private func serviceRecords(_ name: String, namespace: String, service svcName: String, type: UInt16) -> [DNSMessage.Record]?? {
        guard let svc = service(namespace, svcName) else { return .some(nil) }
        let spec = Service(svc).spec
        if spec.type == "ExternalName" {
            guard let target = spec.externalName, !target.isEmpty else { return .some([]) }
            let types: [DNSMessage.RecordType] = [.a, .aaaa, .cname, .any]
            guard types.contains(where: { $0.rawValue == type }) else { return .some([]) }
            return .some([DNSMessage.Record(name: name, ttl: Self.ttl, data: .cname(target.lowercased()))])
        }
        let ips: [String]
        if let ip = spec.clusterIP, !ip.isEmpty, ip != "None" {
            ips = spec.clusterIPs ?? [ip]
        } else {
            ips = readyEndpoints(namespace, svcName).flatMap(\.addresses)
        }
        return .some(addressRecords(name, Array(Set(ips)).sorted(), type: type))
    }

    private func hostRecords(_ name: String, namespace: String, service svcName: String, hostname: String, type: UInt16) -> [DNSMessage.Record]?? {
        guard service(namespace, svcName) != nil else { return .some(nil) }
        let ips = readyEndpoints(namespace, svcName).flatMap { e in
            e.addresses.filter { Self.endpointName(e, address: $0) == hostname }
        }
        return ips.isEmpty ? .some(nil) : .some(addressRecords(name, ips, type: type))
    }

    private func srvRecords(_ name: String, namespace: String, service svcName: String, port: String, proto: String, type: UInt16) -> [DNSMessage.Record]?? {
        guard let svc = service(namespace, svcName) else { return .some(nil) }
        guard let sp = Service(svc).spec.ports.first(where: { ($0.name ?? "").lowercased() == port && $0.protocol.lowercased() == proto }) else {
            return .some(nil)
        }
        guard type == DNSMessage.RecordType.srv.rawValue || type == DNSMessage.RecordType.any.rawValue else { return .some([]) }
        let service = "\(svcName).\(namespace).svc.\(domain)"
        let spec = Service(svc).spec
        let targets: [String]
        if spec.clusterIP == "None" {
            targets = readyEndpoints(namespace, svcName).flatMap { e in e.addresses.map { "\(Self.endpointName(e, address: $0)).\(service)" } }
        } else {
            targets = [service]
        }
        // The weight shared out among the targets, as CoreDNS does.
        let weight = UInt16(100 / max(1, targets.count))
        return .some(Array(Set(targets)).sorted().map { target in
            DNSMessage.Record(name: name, ttl: Self.ttl, data: .srv(priority: 0, weight: max(1, weight), port: UInt16(clamping: sp.port), target: target))
        })
    }

    /// `<a-b-c-d>.<ns>.pod.<domain>`: the address the first label spells, in any namespace.
    private func podRecords(_ name: String, type: UInt16) -> [DNSMessage.Record]?? {
        let labels = name.dropLast(".pod.".count + domain.count).split(separator: ".")
        guard labels.count == 2, let ip = Self.ipv4(String(labels[0].map { $0 == "-" ? "." : $0 })) else { return .some(nil) }
        return .some(addressRecords(name, [ip.map(String.init).joined(separator: ".")], type: type))
    }

    /// An endpoint's name under its headless Service: its hostname, else its address dashed.
    static func endpointName(_ endpoint: EndpointSlice.Endpoint, address: String) -> String {
        if let hostname = endpoint.hostname, !hostname.isEmpty { return hostname.lowercased() }
        return String(address.map { $0 == "." || $0 == ":" ? "-" : $0 })
    }

    private func readyEndpoints(_ namespace: String, _ service: String) -> [EndpointSlice.Endpoint] {
        slices(namespace, service).flatMap { EndpointSlice($0).endpoints }.filter { $0.ready != false }
    }

    private func addressRecords(_ name: String, _ ips: [String], type: UInt16) -> [DNSMessage.Record] {
        let any = type == DNSMessage.RecordType.any.rawValue
        return ips.compactMap { ip in
            if let v4 = Self.ipv4(ip), type == DNSMessage.RecordType.a.rawValue || any {
                return DNSMessage.Record(name: name, ttl: Self.ttl, data: .a(v4))
            }
            return nil
        }
    }

    static func ipv4(_ s: String) -> [UInt8]? {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false).compactMap { UInt8($0) }
        return parts.count == 4 && !s.contains(":") ? parts : nil
    }
}
