extension KindDefinition {
    /// core/v1 Event.
    public static let event = KindDefinition(
        schema: .event,
        group: "", versions: ["v1"], kind: "Event", plural: "events", shortNames: ["ev"],
        fieldSelectors: ["involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
                         "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason",
                         "reportingComponent"].map { SelectableField($0) }
            + [SelectableField("source", path: ["source", "component"]), SelectableField("type")],
        printer: eventPrinter)

    static let eventPrinter = TablePrinter(columns: [
        TableColumn("Last Seen"), TableColumn("Type"), TableColumn("Reason"), TableColumn("Object"), TableColumn("Message"),
        TableColumn("Subobject", wide: true), TableColumn("Source", wide: true), TableColumn("First Seen", wide: true),
        TableColumn("Count", "integer", wide: true), TableColumn("Name", wide: true),
    ]) { o, t in
        let last = o["lastTimestamp"]?.stringValue ?? o["eventTime"]?.stringValue ?? o[path: ["metadata", "creationTimestamp"]]?.stringValue
        let first = o["firstTimestamp"]?.stringValue ?? o["eventTime"]?.stringValue
        let obj = "\((o[path: ["involvedObject", "kind"]]?.stringValue ?? "").lowercased())/\(o[path: ["involvedObject", "name"]]?.stringValue ?? "")"
        var source = o[path: ["source", "component"]]?.stringValue ?? o["reportingComponent"]?.stringValue ?? ""
        if let host = o[path: ["source", "host"]]?.stringValue, !host.isEmpty { source += ", \(host)" }
        return [t.age(last), TableCells.str(o, "type", ""), TableCells.str(o, "reason", ""), .string(obj), TableCells.str(o, "message", ""),
                TableCells.str(o, "involvedObject.fieldPath", ""), .string(source), t.age(first), .int(o["count"]?.intValue ?? 1), TableCells.name(o)]
    }
}
