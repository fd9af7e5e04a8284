extension KindDefinition {
    /// core/v1 Endpoints.
    public static let endpoints = KindDefinition(
        schema: .endpoints,
        group: "", versions: ["v1"], kind: "Endpoints", plural: "endpoints", shortNames: ["ep"],
        printer: TablePrinter(columns: [TableColumn("Name"), TableColumn("Endpoints"), TableColumn("Age")]) { o, t in
            var eps: [String] = []
            for s in o["subsets"]?.arrayValue ?? [] {
                let ports = (s["ports"]?.arrayValue ?? []).compactMap { $0["port"]?.intValue }
                for a in s["addresses"]?.arrayValue ?? [] {
                    let ip = a["ip"]?.stringValue ?? ""
                    if ports.isEmpty { eps.append(ip) } else { eps += ports.map { "\(ip):\($0)" } }
                }
            }
            let shown = eps.prefix(3).joined(separator: ",") + (eps.count > 3 ? " + \(eps.count - 3) more..." : "")
            return [TableCells.name(o), .string(eps.isEmpty ? "<none>" : shown), t.age(o)]
        })
}
