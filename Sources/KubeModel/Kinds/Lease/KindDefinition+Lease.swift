extension KindDefinition {
    /// coordination.k8s.io/v1 Lease.
    public static let lease = KindDefinition(
        schema: .lease,
        group: "coordination.k8s.io", versions: ["v1"], kind: "Lease", plural: "leases",
        printer: TablePrinter(columns: [TableColumn("Name"), TableColumn("Holder"), TableColumn("Age")]) { o, t in
            [TableCells.name(o), TableCells.str(o, "spec.holderIdentity", ""), t.age(o)]
        })
}
