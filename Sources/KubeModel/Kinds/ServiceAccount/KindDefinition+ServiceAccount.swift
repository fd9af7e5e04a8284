extension KindDefinition {
    /// core/v1 ServiceAccount.
    public static let serviceAccount = KindDefinition(
        schema: .serviceAccount,
        group: "", versions: ["v1"], kind: "ServiceAccount", plural: "serviceaccounts", shortNames: ["sa"],
        printer: TablePrinter(columns: [TableColumn("Name"), TableColumn("Secrets", "integer"), TableColumn("Age")]) { o, t in
            [TableCells.name(o), .int(Int64(o["secrets"]?.arrayValue?.count ?? 0)), t.age(o)]
        })
}
