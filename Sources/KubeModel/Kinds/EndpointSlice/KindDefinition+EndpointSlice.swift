extension KindDefinition {
    /// discovery.k8s.io/v1 EndpointSlice.
    public static let endpointSlice = KindDefinition(
        schema: .endpointSlice,
        group: "discovery.k8s.io", versions: ["v1"], kind: "EndpointSlice", plural: "endpointslices",
        printer: TablePrinter(columns: [TableColumn("Name"), TableColumn("AddressType"), TableColumn("Ports"), TableColumn("Endpoints"), TableColumn("Age")]) { o, t in
            let ports = (o["ports"]?.arrayValue ?? []).compactMap { $0["port"]?.intValue }.map(String.init)
            let addrs = (o["endpoints"]?.arrayValue ?? []).flatMap { ($0["addresses"]?.arrayValue ?? []).compactMap(\.stringValue) }
            return [TableCells.name(o), TableCells.str(o, "addressType"), .string(ports.isEmpty ? "<unset>" : ports.joined(separator: ",")),
                    .string(addrs.isEmpty ? "<unset>" : addrs.prefix(3).joined(separator: ",") + (addrs.count > 3 ? " + \(addrs.count - 3) more..." : "")), t.age(o)]
        })
}
