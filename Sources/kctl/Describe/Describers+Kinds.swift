import Foundation
import KubeClient
import KubeModel

extension Describers {
    func pod(_ o: JSONValue, _ w: inout DescribeWriter) async throws {
        let pod = Pod(o), meta = pod.metadata, spec = pod.spec
        w.write(0, "Name:\t\(meta.name)")
        w.write(0, "Namespace:\t\(meta.namespace)")
        if let priority = spec.priority { w.write(0, "Priority:\t\(priority)") }
        if let sa = spec.serviceAccountName { w.write(0, "Service Account:\t\(sa)") }
        w.write(0, "Node:\t\(spec.nodeName.map { "\($0)/\(pod.status.hostIP ?? "")" } ?? "<none>")")
        if let start = pod.status.startTime { w.write(0, "Start Time:\t\(DescribeWriter.date(start))") }
        w.map(0, "Labels", meta.labels)
        w.map(0, "Annotations", meta.annotations, separator: ": ")
        var status = pod.status.phase ?? ""
        if meta.isDeleting { status = "Terminating (lasts \(meta.deletionGracePeriodSeconds ?? 0)s)" }
        w.write(0, "Status:\t\(status)")
        w.write(0, "IP:\t\(pod.status.podIP ?? "")")
        let ips = pod.status.podIPs
        if ips.isEmpty {
            w.write(0, "IPs:\t<none>")
        } else {
            w.write(0, "IPs:")
            for a in ips { w.write(1, "IP:\t\(a)") }
        }
        if let owner = meta.controllerRef { w.write(0, "Controlled By:\t\(owner.kind)/\(owner.name)") }
        w.write(0, "Containers:")
        let statuses = pod.status.containerStatuses
        for c in spec.containers {
            w.container(c, level: 1, nameIndent: "", status: statuses.first { $0.name == c.name })
        }
        let conds = pod.status.conditions
        if !conds.isEmpty {
            w.write(0, "Conditions:")
            w.write(1, "Type\tStatus")
            for c in conds { w.write(1, "\(c.type) \t\(c.status ?? "") ") }
        }
        w.volumes(spec.volumes, level: 0)
        w.write(0, "QoS Class:\t\(pod.status.qosClass ?? "BestEffort")")
        let selectors = spec.nodeSelector
        w.write(0, "Node-Selectors:\t" + (selectors.isEmpty ? "<none>" : selectors.keys.sorted().map { "\($0)=\(selectors[$0] ?? "")" }.joined(separator: ",")))
        let tolerations = spec.tolerations
        w.write(0, "Tolerations:\t" + (tolerations.isEmpty ? "<none>" : tolerations.map(DescribeWriter.toleration).joined(separator: "\n\t")))
        w.events(try await events(o))
    }

    /// Ready addresses of a Service from its EndpointSlices, as kubectl's `formatEndpointSlices`
    /// prints them: `ip:port` for the ports named `port` (nil: all), three at most, then
    /// ` + N more...`.
    func endpoints(_ service: String, _ ns: String, port: String? = nil) async -> String {
        guard let list = try? await session.client.call("GET", "/apis/discovery.k8s.io/v1/namespaces/\(ns)/endpointslices",
                                                        query: [("labelSelector", "kubernetes.io/service-name=\(service)")])
        else { return "<none>" }
        let slices = ObjectList(list).items.map(EndpointSlice.init)
        if slices.isEmpty { return "<none>" }
        var out: [String] = [], more = false, count = 0
        func add(_ endpoints: [EndpointSlice.Endpoint], _ format: (String) -> String) {
            for e in endpoints {
                // kubectl decides "more" before skipping an endpoint that is not ready.
                if out.count == 3 { more = true }
                // An endpoint whose readiness is unknown counts as ready.
                guard e.ready != false, let address = e.addresses.first else { continue }
                if !more { out.append(format(address)) }
                count += 1
            }
        }
        for slice in slices {
            if slice.ports.isEmpty {
                add(slice.endpoints) { $0 }
            } else {
                for p in slice.ports where port == nil || (p.name ?? "") == port {
                    let number = p.port.map(String.init) ?? "0"
                    add(slice.endpoints) { $0.contains(":") ? "[\($0)]:\(number)" : "\($0):\(number)" }
                }
            }
        }
        let joined = out.joined(separator: ",")
        return more ? "\(joined) + \(count - 3) more..." : joined
    }

    /// The object's namespace, or the session's for a manifest that names none.
    func effectiveNamespace(_ meta: ObjectMeta) -> String { meta.namespace.isEmpty ? session.namespace : meta.namespace }

    func service(_ o: JSONValue, _ w: inout DescribeWriter) async throws {
        w.meta(o)
        let service = Service(o), spec = service.spec
        w.write(0, "Selector:\t\(Printable.map(spec.selector))")
        w.write(0, "Type:\t\(spec.type)")
        if let p = spec.ipFamilyPolicy { w.write(0, "IP Family Policy:\t\(p)") }
        if let f = spec.ipFamilies { w.write(0, "IP Families:\t\(f.joined(separator: ","))") }
        w.write(0, "IP:\t\(spec.clusterIP ?? "")")
        if let ips = spec.clusterIPs { w.write(0, "IPs:\t\(ips.joined(separator: ","))") }
        let ns = effectiveNamespace(service.metadata), name = service.metadata.name
        for p in spec.ports {
            let pname = p.name ?? ""
            let proto = p.protocol
            w.write(0, "Port:\t\(pname.isEmpty ? "<unset>" : pname)  \(p.port)/\(proto)")
            if let t = p.targetPort { w.write(0, "TargetPort:\t\(t)/\(proto)") }
            if let np = p.nodePort { w.write(0, "NodePort:\t\(pname.isEmpty ? "<unset>" : pname)  \(np)/\(proto)") }
            w.write(0, "Endpoints:\t\(await endpoints(name, ns, port: pname))")
        }
        w.write(0, "Session Affinity:\t\(spec.sessionAffinity)")
        if let p = spec.internalTrafficPolicy { w.write(0, "Internal Traffic Policy:\t\(p)") }
        w.events(try await events(o))
    }

    func ingress(_ o: JSONValue, _ w: inout DescribeWriter) async throws {
        let ingress = Ingress(o), meta = ingress.metadata, spec = ingress.spec
        let ns = effectiveNamespace(meta)
        w.write(0, "Name:\t\(meta.name)")
        w.map(0, "Labels", meta.labels)
        w.write(0, "Namespace:\t\(ns)")
        let ips = ingress.status.loadBalancer.ingress.compactMap { $0.ip ?? $0.hostname }
        w.write(0, "Address:\t\(ips.joined(separator: ","))")
        w.write(0, "Ingress Class:\t\(spec.ingressClassName ?? "<none>")")
        func backend(_ b: IngressBackend?) async -> String {
            guard let s = b?.service else { return "<default>" }
            return "\(s.name):\(s.port?.description ?? "") (\(await endpoints(s.name, ns)))"
        }
        w.write(0, "Default backend:\t\(await backend(spec.defaultBackend))")
        let tls = spec.tls
        if !tls.isEmpty {
            w.write(0, "TLS:")
            for t in tls {
                w.write(1, "\(t.secretName ?? "SNI") terminates \(t.hosts.joined(separator: ","))")
            }
        }
        w.write(0, "Rules:")
        w.write(1, "Host\tPath\tBackends")
        w.write(1, "----\t----\t--------")
        for rule in spec.rules {
            let host = rule.host ?? "*"
            w.write(1, "\(host.isEmpty ? "*" : host)\t")
            for p in rule.paths {
                w.write(2, "\t\(p.path ?? "") \t\(await backend(p.backend))")
            }
        }
        w.map(0, "Annotations", meta.annotations, separator: ": ", skip: ["kubectl.kubernetes.io/last-applied-configuration"])
        w.events(try await events(o))
    }

    func hpa(_ o: JSONValue, _ w: inout DescribeWriter) async throws {
        let hpa = HorizontalPodAutoscaler(o), meta = hpa.metadata, spec = hpa.spec, status = hpa.status
        w.write(0, "Name:\t\(meta.name)")
        w.write(0, "Namespace:\t\(meta.namespace)")
        w.map(0, "Labels", meta.labels)
        w.map(0, "Annotations", meta.annotations, separator: ": ", skip: ["kubectl.kubernetes.io/last-applied-configuration"])
        w.write(0, "CreationTimestamp:\t\(DescribeWriter.date(meta.creationTimestamp))")
        let ref = spec.scaleTargetRef
        w.write(0, "Reference:\t\(ref.kind)/\(ref.name)")
        w.write(0, "Metrics:\t( current / target )")
        let current = status.currentMetrics
        for m in spec.metrics where m.type == "Resource" {
            let name = m.resource.name, target = m.resource.target
            let now = current.first { $0.resource.name == name }?.resource.current
            if let util = target.averageUtilization {
                let text = now?.averageUtilization.map { "\($0)% (\(now?.averageValue?.text ?? ""))" } ?? "<unknown>"
                w.write(1, "resource \(name) on pods  (as a percentage of request):\t\(text) / \(util)%")
            } else {
                let want = (target.averageValue ?? target.value)?.text ?? ""
                let text = now.map { $0.averageValue?.text ?? "" } ?? "<unknown>"
                w.write(1, "resource \(name) on pods:\t\(text) / \(want)")
            }
        }
        w.write(0, "Min replicas:\t\(spec.minReplicas)")
        w.write(0, "Max replicas:\t\(spec.maxReplicas)")
        w.write(0, "\(ref.kind) pods:\t\(status.currentReplicas) current / \(status.desiredReplicas) desired")
        let cs = status.conditions
        if !cs.isEmpty {
            w.write(0, "Conditions:")
            w.write(1, "Type\tStatus\tReason\tMessage")
            w.write(1, "----\t------\t------\t-------")
            for c in cs { w.write(1, "\(c.type)\t\(c.status ?? "")\t\(c.reason ?? "")\t\(c.message ?? "")") }
        }
        w.events(try await events(o))
    }

    func configMap(_ o: JSONValue, _ w: inout DescribeWriter) async throws {
        w.meta(o)
        w.write(0, "")
        w.write(0, "Data")
        w.write(0, "====")
        let configMap = ConfigMap(o), data = configMap.data
        for k in data.keys.sorted() {
            w.write(0, "\(k):")
            w.write(0, "----")
            w.write(0, data[k] ?? "")
            w.write(0, "")
        }
        w.write(0, "")
        w.write(0, "BinaryData")
        w.write(0, "====")
        let binary = configMap.binaryData
        for k in binary.keys.sorted() {
            w.write(0, "\(k): \(Base64.decode(binary[k] ?? "")?.count ?? 0) bytes")
        }
        w.write(0, "")
        w.events(try await events(o))
    }

    func secret(_ o: JSONValue, _ w: inout DescribeWriter) {
        w.meta(o)
        let secret = Secret(o)
        w.write(0, "")
        w.write(0, "Type:\t\(secret.type)")
        w.write(0, "")
        w.write(0, "Data")
        w.write(0, "====")
        let data = secret.data ?? [:]
        for k in data.keys.sorted() {
            w.write(0, "\(k):\t\(Base64.decode(data[k] ?? "")?.count ?? 0) bytes")
        }
    }

    /// Image pull, mountable and token secrets, each name marked "(not found)" when no such
    /// Secret exists in the namespace, as kubectl's ServiceAccountDescriber.
    func serviceAccount(_ o: JSONValue, _ w: inout DescribeWriter) async throws {
        w.meta(o)
        let account = ServiceAccount(o), meta = account.metadata
        let list = try? await session.client.call("GET", "/api/v1/namespaces/\(meta.namespace)/secrets")
        let secrets = list.map { ObjectList($0).items.map(Secret.init) }
        let existing = Set((secrets ?? []).map(\.metadata.name))
        let tokens = (secrets ?? []).filter {
            $0.type == "kubernetes.io/service-account-token"
                && $0.metadata.annotations["kubernetes.io/service-account.name"] == meta.name
                && $0.metadata.annotations["kubernetes.io/service-account.uid"] == meta.uid
        }.map(\.metadata.name)
        for (header, names) in [("Image pull secrets:", account.imagePullSecrets), ("Mountable secrets: ", account.secrets), ("Tokens:            ", tokens)] {
            guard !names.isEmpty else {
                w.write(0, "\(header)\t<none>")
                continue
            }
            for (i, name) in names.enumerated() {
                // Only secrets the account names can be missing; a listed token exists.
                let missing = secrets != nil && !existing.contains(name)
                w.write(0, "\(i == 0 ? header : String(repeating: " ", count: 19))\t\(name)\(missing ? " (not found)" : "")")
            }
        }
        w.events(try await events(o))
    }

    func namespace(_ o: JSONValue, _ w: inout DescribeWriter) {
        w.meta(o, namespace: false)
        w.write(0, "Status:\t\(Namespace(o).status.phase ?? "Active")")
    }

}

enum Printable {
    static func map(_ m: [String: String]?) -> String {
        let m = m ?? [:]
        return m.isEmpty ? "<none>" : m.keys.sorted().map { "\($0)=\(m[$0] ?? "")" }.joined(separator: ",")
    }
}
