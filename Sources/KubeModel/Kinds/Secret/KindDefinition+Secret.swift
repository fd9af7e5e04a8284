extension KindDefinition {
    /// core/v1 Secret.
    public static let secret = KindDefinition(
        schema: .secret,
        group: "", versions: ["v1"], kind: "Secret", plural: "secrets", fieldSelectors: [SelectableField("type")],
        printer: TablePrinter(columns: [TableColumn("Name"), TableColumn("Type"), TableColumn("Data", "integer"), TableColumn("Age")]) { o, t in
            [TableCells.name(o), TableCells.str(o, "type", "Opaque"), .int(Int64(o["data"]?.objectValue?.count ?? 0)), t.age(o)]
        },
        defaults: Defaults.secret,
        validate: { Validation.configData($0, secret: true) },
        validateUpdate: { obj, old in
            var errs = Validation.immutableData(obj, old: old)
            if obj["type"] != old["type"] { errs.append(.invalid("type", obj["type"] ?? "", "field is immutable")) }
            return errs
        })
}

extension Defaults {
    /// Folds `stringData` into base64 `data`, as the API server does on every write.
    static func secret(_ obj: inout JSONValue) {
        if obj["type"] == nil || obj["type"] == "" { obj["type"] = "Opaque" }
        guard let stringData = obj["stringData"]?.objectValue else { return }
        var data = obj["data"]?.objectValue ?? [:]
        for (k, v) in stringData { data[k] = .string(Base64.encode(Array((v.stringValue ?? "").utf8))) }
        obj["data"] = .object(data)
        obj["stringData"] = nil
    }
}
