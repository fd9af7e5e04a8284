extension KindDefinition {
    /// core/v1 Node. The kubelet writes its own status through the main resource too, so it is
    /// not reset.
    public static let node = KindDefinition(
        schema: .node,
        group: "", versions: ["v1"], kind: "Node", plural: "nodes", shortNames: ["no"], namespaced: false, subresources: ["status"],
        fieldSelectors: [SelectableField("spec.unschedulable")], printer: nodePrinter, resetsStatus: false)

    static let nodePrinter = TablePrinter(columns: [
        TableColumn("Name"), TableColumn("Status"), TableColumn("Roles"), TableColumn("Age"), TableColumn("Version"),
        TableColumn("Internal-IP", wide: true), TableColumn("External-IP", wide: true), TableColumn("OS-Image", wide: true),
        TableColumn("Kernel-Version", wide: true), TableColumn("Container-Runtime", wide: true),
    ]) { o, t in
        var status = "Unknown"
        for c in o[path: ["status", "conditions"]]?.arrayValue ?? [] where c["type"] == "Ready" {
            // printNode: any Ready status but True reads NotReady (Unknown included); only a
            // node without a Ready condition at all is "Unknown".
            status = c["status"] == "True" ? "Ready" : "NotReady"
        }
        if o[path: ["spec", "unschedulable"]] == true { status += ",SchedulingDisabled" }
        let roles = labelsOf(o).keys.filter { $0.hasPrefix("node-role.kubernetes.io/") }
            .map { String($0.dropFirst("node-role.kubernetes.io/".count)) }.sorted()
        let addrs = o[path: ["status", "addresses"]]?.arrayValue ?? []
        func addr(_ type: String) -> JSONValue {
            .string(addrs.first { $0["type"]?.stringValue == type }?["address"]?.stringValue ?? "<none>")
        }
        return [TableCells.name(o), .string(status), .string(roles.isEmpty ? "<none>" : roles.joined(separator: ",")), t.age(o),
                TableCells.str(o, "status.nodeInfo.kubeletVersion", ""), addr("InternalIP"), addr("ExternalIP"),
                TableCells.str(o, "status.nodeInfo.osImage", "<unknown>"), TableCells.str(o, "status.nodeInfo.kernelVersion", "<unknown>"),
                TableCells.str(o, "status.nodeInfo.containerRuntimeVersion", "<unknown>")]
    }
}
