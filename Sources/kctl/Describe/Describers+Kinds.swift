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
            w.container(c.json, level: 1, nameIndent: "", status: statuses.first { $0.name == c.name }?.json)
        }
        let conds = pod.status.conditions
        if !conds.isEmpty {
            w.write(0, "Conditions:")
            w.write(1, "Type\tStatus")
            for c in conds { w.write(1, "\(c.type) \t\(c.status ?? "") ") }
        }
        w.volumes(spec.volumes.map(\.json), level: 0)
        w.write(0, "QoS Class:\t\(pod.status.qosClass ?? "BestEffort")")
        let selectors = spec.nodeSelector
        w.write(0, "Node-Selectors:\t" + (selectors.isEmpty ? "<none>" : selectors.keys.sorted().map { "\($0)=\(selectors[$0] ?? "")" }.joined(separator: ",")))
        let tolerations = spec.tolerations
        w.write(0, "Tolerations:\t" + (tolerations.isEmpty ? "<none>" : tolerations.map(DescribeWriter.toleration).joined(separator: "\n\t")))
        w.events(try await events(o))
    }

    /// Ready addresses of a Service from its EndpointSlices (what kubectl 1.32 reads).
    func endpoints(_ service: String, _ ns: String, port: JSONValue?) async -> String {
        guard let list = try? await session.client.call("GET", "/apis/discovery.k8s.io/v1/namespaces/\(ns)/endpointslices",
                                                        query: [("labelSelector", "kubernetes.io/service-name=\(service)")])
        else { return "<none>" }
        var out: [String] = []
        for slice in list["items"]?.arrayValue ?? [] {
            let p = (slice["ports"]?.arrayValue ?? []).first?["port"]?.intValue
            for e in slice["endpoints"]?.arrayValue ?? [] where e[path: ["conditions", "ready"]] != false {
                for a in (e["addresses"]?.arrayValue ?? []).compactMap(\.stringValue) { out.append(p.map { "\(a):\($0)" } ?? a) }
            }
        }
        return out.isEmpty ? "<none>" : out.joined(separator: ",")
    }

    func service(_ o: JSONValue, _ w: inout DescribeWriter) async throws {
        w.meta(o)
        let spec = o["spec"] ?? .emptyObject
        w.write(0, "Selector:\t\(Printable.map(spec["selector"]?.objectValue))")
        w.write(0, "Type:\t\(spec["type"]?.stringValue ?? "ClusterIP")")
        if let p = spec["ipFamilyPolicy"]?.stringValue { w.write(0, "IP Family Policy:\t\(p)") }
        if let f = spec["ipFamilies"]?.arrayValue { w.write(0, "IP Families:\t\(f.compactMap(\.stringValue).joined(separator: ","))") }
        w.write(0, "IP:\t\(spec["clusterIP"]?.stringValue ?? "")")
        if let ips = spec["clusterIPs"]?.arrayValue { w.write(0, "IPs:\t\(ips.compactMap(\.stringValue).joined(separator: ","))") }
        let ns = o[path: ["metadata", "namespace"]]?.stringValue ?? session.namespace
        let name = o[path: ["metadata", "name"]]?.stringValue ?? ""
        for p in spec["ports"]?.arrayValue ?? [] {
            let pname = p["name"]?.stringValue ?? ""
            let proto = p["protocol"]?.stringValue ?? "TCP"
            w.write(0, "Port:\t\(pname.isEmpty ? "<unset>" : pname)  \(p["port"]?.intValue ?? 0)/\(proto)")
            if let t = p["targetPort"] { w.write(0, "TargetPort:\t\(JSONPath.text(t))/\(proto)") }
            if let np = p["nodePort"]?.intValue { w.write(0, "NodePort:\t\(pname.isEmpty ? "<unset>" : pname)  \(np)/\(proto)") }
            w.write(0, "Endpoints:\t\(await endpoints(name, ns, port: p["targetPort"]))")
        }
        w.write(0, "Session Affinity:\t\(spec["sessionAffinity"]?.stringValue ?? "None")")
        if let p = spec["internalTrafficPolicy"]?.stringValue { w.write(0, "Internal Traffic Policy:\t\(p)") }
        w.events(try await events(o))
    }

    func ingress(_ o: JSONValue, _ w: inout DescribeWriter) async throws {
        let ns = o[path: ["metadata", "namespace"]]?.stringValue ?? session.namespace
        w.write(0, "Name:\t\(o[path: ["metadata", "name"]]?.stringValue ?? "")")
        w.map(0, "Labels", o[path: ["metadata", "labels"]]?.objectValue)
        w.write(0, "Namespace:\t\(ns)")
        let ips = (o[path: ["status", "loadBalancer", "ingress"]]?.arrayValue ?? []).compactMap { $0["ip"]?.stringValue ?? $0["hostname"]?.stringValue }
        w.write(0, "Address:\t\(ips.joined(separator: ","))")
        w.write(0, "Ingress Class:\t\(o[path: ["spec", "ingressClassName"]]?.stringValue ?? "<none>")")
        func backend(_ b: JSONValue?) async -> String {
            guard let s = b?["service"] else { return "<default>" }
            let svc = s["name"]?.stringValue ?? ""
            let port = s[path: ["port", "number"]].map(JSONPath.text) ?? s[path: ["port", "name"]]?.stringValue ?? ""
            return "\(svc):\(port) (\(await endpoints(svc, ns, port: nil)))"
        }
        w.write(0, "Default backend:\t\(await backend(o[path: ["spec", "defaultBackend"]]))")
        let tls = o[path: ["spec", "tls"]]?.arrayValue ?? []
        if !tls.isEmpty {
            w.write(0, "TLS:")
            for t in tls {
                w.write(1, "\(t["secretName"]?.stringValue ?? "SNI") terminates \((t["hosts"]?.arrayValue ?? []).compactMap(\.stringValue).joined(separator: ","))")
            }
        }
        w.write(0, "Rules:")
        w.write(1, "Host\tPath\tBackends")
        w.write(1, "----\t----\t--------")
        for rule in o[path: ["spec", "rules"]]?.arrayValue ?? [] {
            let host = rule["host"]?.stringValue ?? "*"
            w.write(1, "\(host.isEmpty ? "*" : host)\t")
            for p in rule[path: ["http", "paths"]]?.arrayValue ?? [] {
                w.write(2, "\t\(p["path"]?.stringValue ?? "") \t\(await backend(p["backend"]))")
            }
        }
        w.map(0, "Annotations", o[path: ["metadata", "annotations"]]?.objectValue, separator: ": ", skip: ["kubectl.kubernetes.io/last-applied-configuration"])
        w.events(try await events(o))
    }

    func hpa(_ o: JSONValue, _ w: inout DescribeWriter) async throws {
        w.write(0, "Name:\t\(o[path: ["metadata", "name"]]?.stringValue ?? "")")
        w.write(0, "Namespace:\t\(o[path: ["metadata", "namespace"]]?.stringValue ?? "")")
        w.map(0, "Labels", o[path: ["metadata", "labels"]]?.objectValue)
        w.map(0, "Annotations", o[path: ["metadata", "annotations"]]?.objectValue, separator: ": ", skip: ["kubectl.kubernetes.io/last-applied-configuration"])
        w.write(0, "CreationTimestamp:\t\(DescribeWriter.date(o[path: ["metadata", "creationTimestamp"]]?.stringValue))")
        let ref = o[path: ["spec", "scaleTargetRef"]] ?? .emptyObject
        w.write(0, "Reference:\t\(ref["kind"]?.stringValue ?? "")/\(ref["name"]?.stringValue ?? "")")
        w.write(0, "Metrics:\t( current / target )")
        let current = o[path: ["status", "currentMetrics"]]?.arrayValue ?? []
        for m in o[path: ["spec", "metrics"]]?.arrayValue ?? [] where m["type"] == "Resource" {
            let name = m[path: ["resource", "name"]]?.stringValue ?? ""
            let target = m[path: ["resource", "target"]] ?? .emptyObject
            let cur = current.first { $0[path: ["resource", "name"]]?.stringValue == name }
            if let util = target["averageUtilization"]?.intValue {
                let now = cur?[path: ["resource", "current", "averageUtilization"]]?.intValue.map { "\($0)% (\(JSONPath.text(cur?[path: ["resource", "current", "averageValue"]] ?? "")))" } ?? "<unknown>"
                w.write(1, "resource \(name) on pods  (as a percentage of request):\t\(now) / \(util)%")
            } else {
                let want = JSONPath.text(target["averageValue"] ?? target["value"] ?? "")
                let now = cur.map { JSONPath.text($0[path: ["resource", "current", "averageValue"]] ?? "") } ?? "<unknown>"
                w.write(1, "resource \(name) on pods:\t\(now) / \(want)")
            }
        }
        w.write(0, "Min replicas:\t\(o[path: ["spec", "minReplicas"]]?.intValue ?? 1)")
        w.write(0, "Max replicas:\t\(o[path: ["spec", "maxReplicas"]]?.intValue ?? 0)")
        w.write(0, "\(ref["kind"]?.stringValue ?? "") pods:\t\(o[path: ["status", "currentReplicas"]]?.intValue ?? 0) current / \(o[path: ["status", "desiredReplicas"]]?.intValue ?? 0) desired")
        if let cs = o[path: ["status", "conditions"]]?.arrayValue, !cs.isEmpty {
            w.write(0, "Conditions:")
            w.write(1, "Type\tStatus\tReason\tMessage")
            w.write(1, "----\t------\t------\t-------")
            for c in cs { w.write(1, "\(c["type"]?.stringValue ?? "")\t\(c["status"]?.stringValue ?? "")\t\(c["reason"]?.stringValue ?? "")\t\(c["message"]?.stringValue ?? "")") }
        }
        w.events(try await events(o))
    }

    func configMap(_ o: JSONValue, _ w: inout DescribeWriter) async throws {
        w.meta(o)
        w.write(0, "")
        w.write(0, "Data")
        w.write(0, "====")
        let data = o["data"]?.objectValue ?? [:]
        for k in data.keys.sorted() {
            w.write(0, "\(k):")
            w.write(0, "----")
            w.write(0, data[k]?.stringValue ?? "")
            w.write(0, "")
        }
        w.write(0, "")
        w.write(0, "BinaryData")
        w.write(0, "====")
        let binary = o["binaryData"]?.objectValue ?? [:]
        for k in binary.keys.sorted() {
            w.write(0, "\(k): \(Base64.decode(binary[k]?.stringValue ?? "")?.count ?? 0) bytes")
        }
        w.write(0, "")
        w.events(try await events(o))
    }

    func secret(_ o: JSONValue, _ w: inout DescribeWriter) {
        w.meta(o)
        w.write(0, "")
        w.write(0, "Type:\t\(o["type"]?.stringValue ?? "Opaque")")
        w.write(0, "")
        w.write(0, "Data")
        w.write(0, "====")
        let data = o["data"]?.objectValue ?? [:]
        for k in data.keys.sorted() {
            w.write(0, "\(k):\t\(Base64.decode(data[k]?.stringValue ?? "")?.count ?? 0) bytes")
        }
    }

    /// Image pull, mountable and token secrets, each name marked "(not found)" when no such
    /// Secret exists in the namespace, as kubectl's ServiceAccountDescriber.
    func serviceAccount(_ o: JSONValue, _ w: inout DescribeWriter) async throws {
        w.meta(o)
        let ns = o.metaNamespace
        let secrets = try? await session.client.call("GET", "/api/v1/namespaces/\(ns)/secrets")
        let existing = Set((secrets?["items"]?.arrayValue ?? []).map(\.metaName))
        let tokens = (secrets?["items"]?.arrayValue ?? []).filter {
            $0["type"] == "kubernetes.io/service-account-token"
                && $0[path: ["metadata", "annotations", "kubernetes.io/service-account.name"]]?.stringValue == o.metaName
                && $0[path: ["metadata", "annotations", "kubernetes.io/service-account.uid"]] == o[path: ["metadata", "uid"]]
        }.map(\.metaName)
        func names(_ key: String) -> [String] { (o[key]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue } }
        for (header, list) in [("Image pull secrets:", names("imagePullSecrets")), ("Mountable secrets: ", names("secrets")), ("Tokens:            ", tokens)] {
            guard !list.isEmpty else {
                w.write(0, "\(header)\t<none>")
                continue
            }
            for (i, name) in list.enumerated() {
                // Only secrets the account names can be missing; a listed token exists.
                let missing = secrets != nil && !existing.contains(name)
                w.write(0, "\(i == 0 ? header : String(repeating: " ", count: 19))\t\(name)\(missing ? " (not found)" : "")")
            }
        }
        w.events(try await events(o))
    }

    func namespace(_ o: JSONValue, _ w: inout DescribeWriter) {
        w.meta(o, namespace: false)
        w.write(0, "Status:\t\(o[path: ["status", "phase"]]?.stringValue ?? "Active")")
    }

}

enum Printable {
    static func map(_ m: [String: JSONValue]?) -> String {
        let m = m ?? [:]
        return m.isEmpty ? "<none>" : m.keys.sorted().map { "\($0)=\(m[$0]?.stringValue ?? "")" }.joined(separator: ",")
    }
}
