extension KindDefinition {
    /// networking.k8s.io/v1 Ingress.
    public static let ingress = KindDefinition(
        schema: .ingress,
        group: "networking.k8s.io", versions: ["v1"], kind: "Ingress", plural: "ingresses", shortNames: ["ing"], subresources: ["status"],
        printer: TablePrinter(columns: [TableColumn("Name"), TableColumn("Class"), TableColumn("Hosts"), TableColumn("Address"), TableColumn("Ports"), TableColumn("Age")]) { o, t in
            let hosts = (o[path: ["spec", "rules"]]?.arrayValue ?? []).compactMap { $0["host"]?.stringValue }
            let ips = (o[path: ["status", "loadBalancer", "ingress"]]?.arrayValue ?? []).compactMap { $0["ip"]?.stringValue ?? $0["hostname"]?.stringValue }
            let tls = !(o[path: ["spec", "tls"]]?.arrayValue ?? []).isEmpty
            return [TableCells.name(o), TableCells.str(o, "spec.ingressClassName"), .string(hosts.isEmpty ? "*" : hosts.joined(separator: ",")),
                    .string(ips.joined(separator: ",")), .string(tls ? "80, 443" : "80"), t.age(o)]
        },
        hasGeneration: true,
        defaults: { obj in
            // IngressStatus.loadBalancer is a struct: Go always writes it.
            Defaults.setIfMissing(&obj, ["status", "loadBalancer"], .emptyObject)
        },
        validate: Validation.ingress)
}

extension Validation {
    static func ingress(_ obj: JSONValue) -> [FieldError] {
        var errs: [FieldError] = []
        for (i, rule) in (obj[path: ["spec", "rules"]]?.arrayValue ?? []).enumerated() {
            for (j, p) in (rule[path: ["http", "paths"]]?.arrayValue ?? []).enumerated() {
                let path = "spec.rules[\(i)].http.paths[\(j)]"
                let types = ["Exact", "ImplementationSpecific", "Prefix"]
                if let t = p["pathType"]?.stringValue, !types.contains(t) { errs.append(.notSupported("\(path).pathType", .string(t), types)) }
                if let s = p["path"]?.stringValue, !s.hasPrefix("/") { errs.append(.invalid("\(path).path", .string(s), "must be an absolute path")) }
                if p[path: ["backend", "service"]] == nil && p[path: ["backend", "resource"]] == nil {
                    errs.append(.invalid("\(path).backend", p["backend"] ?? .null, "must specify a backend"))
                }
            }
        }
        return errs
    }
}
