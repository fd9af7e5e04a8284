import KubeModel

/// Per-kind columns and cells, following kube-apiserver's printers (pkg/printers/internalversion).
enum Printers {
    typealias C = TableConverter.Column

    static let descriptions: [String: String] = [
        "Name": "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names",
        "Age": "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
    ]

    static func name(_ o: JSONValue) -> JSONValue { o[path: ["metadata", "name"]] ?? "" }
    static func int(_ o: JSONValue, _ path: String) -> JSONValue {
        .int(o[path: path.split(separator: ".").map(String.init)]?.intValue ?? 0)
    }
    static func str(_ o: JSONValue, _ path: String, _ fallback: String = "<none>") -> JSONValue {
        let s = o[path: path.split(separator: ".").map(String.init)]?.stringValue ?? ""
        return .string(s.isEmpty ? fallback : s)
    }

    static func containers(_ spec: JSONValue?) -> (JSONValue, JSONValue) {
        let cs = spec?["containers"]?.arrayValue ?? []
        return (.string(cs.compactMap { $0["name"]?.stringValue }.joined(separator: ",")),
                .string(cs.compactMap { $0["image"]?.stringValue }.joined(separator: ",")))
    }

    static func selector(_ s: JSONValue?) -> JSONValue {
        guard let s, let sel = try? LabelSelector.from(s), !sel.isEmpty else { return "<none>" }
        return .string(sel.string)
    }

    static func mapSelector(_ s: JSONValue?) -> JSONValue {
        let o = s?.objectValue ?? [:]
        if o.isEmpty { return "<none>" }
        return .string(o.keys.sorted().map { "\($0)=\(o[$0]?.stringValue ?? "")" }.joined(separator: ","))
    }

    static func printer(for kind: String) -> Printer {
        switch kind {
        case "Deployment":
            return Printer(columns: [C("Name"), C("Ready"), C("Up-to-date", "integer"), C("Available", "integer"), C("Age"),
                                     C("Containers", wide: true), C("Images", wide: true), C("Selector", wide: true)]) { o, t in
                let (c, i) = containers(o[path: ["spec", "template", "spec"]])
                let ready = o[path: ["status", "readyReplicas"]]?.intValue ?? 0
                let want = o[path: ["spec", "replicas"]]?.intValue ?? 0
                return [name(o), .string("\(ready)/\(want)"), int(o, "status.updatedReplicas"), int(o, "status.availableReplicas"),
                        t.age(o), c, i, selector(o[path: ["spec", "selector"]])]
            }
        case "ReplicaSet":
            return Printer(columns: [C("Name"), C("Desired", "integer"), C("Current", "integer"), C("Ready", "integer"), C("Age"),
                                     C("Containers", wide: true), C("Images", wide: true), C("Selector", wide: true)]) { o, t in
                let (c, i) = containers(o[path: ["spec", "template", "spec"]])
                return [name(o), int(o, "spec.replicas"), int(o, "status.replicas"), int(o, "status.readyReplicas"), t.age(o),
                        c, i, selector(o[path: ["spec", "selector"]])]
            }
        case "Pod": return podPrinter
        case "Service":
            return Printer(columns: [C("Name"), C("Type"), C("Cluster-IP"), C("External-IP"), C("Port(s)"), C("Age"), C("Selector", wide: true)]) { o, t in
                let type = o[path: ["spec", "type"]]?.stringValue ?? "ClusterIP"
                let ports = (o[path: ["spec", "ports"]]?.arrayValue ?? []).map { p -> String in
                    let port = p["port"]?.intValue ?? 0
                    let proto = p["protocol"]?.stringValue ?? "TCP"
                    if let np = p["nodePort"]?.intValue, np > 0 { return "\(port):\(np)/\(proto)" }
                    return "\(port)/\(proto)"
                }
                var external = (o[path: ["spec", "externalIPs"]]?.arrayValue ?? []).compactMap(\.stringValue)
                if type == "ExternalName" { external = [o[path: ["spec", "externalName"]]?.stringValue ?? ""] }
                if type == "LoadBalancer" && external.isEmpty {
                    external = (o[path: ["status", "loadBalancer", "ingress"]]?.arrayValue ?? []).compactMap { $0["ip"]?.stringValue ?? $0["hostname"]?.stringValue }
                    if external.isEmpty { external = ["<pending>"] }
                }
                return [name(o), .string(type), str(o, "spec.clusterIP"), .string(external.isEmpty ? "<none>" : external.joined(separator: ",")),
                        .string(ports.isEmpty ? "<none>" : ports.joined(separator: ",")), t.age(o), mapSelector(o[path: ["spec", "selector"]])]
            }
        case "ConfigMap":
            return Printer(columns: [C("Name"), C("Data", "integer"), C("Age")]) { o, t in
                [name(o), .int(Int64((o["data"]?.objectValue?.count ?? 0) + (o["binaryData"]?.objectValue?.count ?? 0))), t.age(o)]
            }
        case "Secret":
            return Printer(columns: [C("Name"), C("Type"), C("Data", "integer"), C("Age")]) { o, t in
                [name(o), str(o, "type", "Opaque"), .int(Int64(o["data"]?.objectValue?.count ?? 0)), t.age(o)]
            }
        case "Namespace":
            return Printer(columns: [C("Name"), C("Status"), C("Age")]) { o, t in [name(o), str(o, "status.phase", "Active"), t.age(o)] }
        case "Ingress": return ingressPrinter
        case "HorizontalPodAutoscaler": return hpaPrinter
        case "Node": return nodePrinter
        case "Event": return eventPrinter
        case "Endpoints":
            return Printer(columns: [C("Name"), C("Endpoints"), C("Age")]) { o, t in
                var eps: [String] = []
                for s in o["subsets"]?.arrayValue ?? [] {
                    let ports = (s["ports"]?.arrayValue ?? []).compactMap { $0["port"]?.intValue }
                    for a in s["addresses"]?.arrayValue ?? [] {
                        let ip = a["ip"]?.stringValue ?? ""
                        if ports.isEmpty { eps.append(ip) } else { eps += ports.map { "\(ip):\($0)" } }
                    }
                }
                let shown = eps.prefix(3).joined(separator: ",") + (eps.count > 3 ? " + \(eps.count - 3) more..." : "")
                return [name(o), .string(eps.isEmpty ? "<none>" : shown), t.age(o)]
            }
        case "ServiceAccount":
            return Printer(columns: [C("Name"), C("Secrets", "integer"), C("Age")]) { o, t in
                [name(o), .int(Int64(o["secrets"]?.arrayValue?.count ?? 0)), t.age(o)]
            }
        case "Lease":
            return Printer(columns: [C("Name"), C("Holder"), C("Age")]) { o, t in [name(o), str(o, "spec.holderIdentity", ""), t.age(o)] }
        case "IngressClass":
            return Printer(columns: [C("Name"), C("Controller"), C("Parameters"), C("Age")]) { o, t in
                [name(o), str(o, "spec.controller", ""), o[path: ["spec", "parameters"]] == nil ? "<none>" : .string(o[path: ["spec", "parameters"]]?.description ?? ""), t.age(o)]
            }
        case "EndpointSlice":
            return Printer(columns: [C("Name"), C("AddressType"), C("Ports"), C("Endpoints"), C("Age")]) { o, t in
                let ports = (o["ports"]?.arrayValue ?? []).compactMap { $0["port"]?.intValue }.map(String.init)
                let addrs = (o["endpoints"]?.arrayValue ?? []).flatMap { ($0["addresses"]?.arrayValue ?? []).compactMap(\.stringValue) }
                return [name(o), str(o, "addressType"), .string(ports.isEmpty ? "<unset>" : ports.joined(separator: ",")),
                        .string(addrs.isEmpty ? "<unset>" : addrs.prefix(3).joined(separator: ",") + (addrs.count > 3 ? " + \(addrs.count - 3) more..." : "")), t.age(o)]
            }
        default:
            return Printer(columns: [C("Name"), C("Age")]) { o, t in [name(o), t.age(o)] }
        }
    }
}
