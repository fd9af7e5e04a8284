extension KindDefinition {
    /// core/v1 ConfigMap.
    public static let configMap = KindDefinition(
        schema: .configMap,
        group: "", versions: ["v1"], kind: "ConfigMap", plural: "configmaps", shortNames: ["cm"],
        printer: TablePrinter(columns: [TableColumn("Name"), TableColumn("Data", "integer"), TableColumn("Age")]) { o, t in
            [TableCells.name(o), .int(Int64((o["data"]?.objectValue?.count ?? 0) + (o["binaryData"]?.objectValue?.count ?? 0))), t.age(o)]
        },
        validate: { Validation.configData($0, secret: false) }, validateUpdate: Validation.immutableData)
}

extension Validation {
    /// core.MaxSecretSize: the most data a ConfigMap or a Secret may hold.
    static let maxDataBytes = 1024 * 1024

    /// The data rules ConfigMaps and Secrets share.
    static func configData(_ obj: JSONValue, secret: Bool) -> [FieldError] {
        var errs: [FieldError] = []
        var total = 0
        for field in ["data", "binaryData"] {
            for (k, v) in (obj[field]?.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
                if let p = Naming.configKeyProblem(k) { errs.append(.invalid("\(field)[\(k)]", .string(k), p)) }
                let text = v.stringValue ?? ""
                // Secret data and ConfigMap binaryData count their decoded bytes.
                total += secret || field == "binaryData" ? (Base64.decode(text)?.count ?? text.utf8.count) : text.utf8.count
            }
        }
        if total > maxDataBytes {
            // ValidateConfigMap reports the whole object ("[]"), ValidateSecret the data field.
            errs.append(.tooLong(secret ? "data" : "[]", maxBytes: maxDataBytes))
        }
        return errs
    }

    /// Once `immutable` is set, neither the data nor the flag may change (ConfigMaps and Secrets).
    static func immutableData(_ obj: JSONValue, old: JSONValue) -> [FieldError] {
        var errs: [FieldError] = []
        if old["immutable"] == true {
            if obj["data"] != old["data"] { errs.append(.forbidden("data", "field is immutable when `immutable` is set")) }
            if obj["immutable"] != true { errs.append(.forbidden("immutable", "field is immutable when `immutable` is set")) }
        }
        return errs
    }
}
