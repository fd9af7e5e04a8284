extension KindDefinition {
    /// core/v1 Namespace. Its status is the namespace controller's and the user's alike (no
    /// reset); `finalize` edits `spec.finalizers`.
    public static let namespace = KindDefinition(
        schema: .namespace,
        group: "", versions: ["v1"], kind: "Namespace", plural: "namespaces", shortNames: ["ns"], namespaced: false,
        subresources: ["status", "finalize"], fieldSelectors: [SelectableField("status.phase")],
        printer: TablePrinter(columns: [TableColumn("Name"), TableColumn("Status"), TableColumn("Age")]) { o, t in
            [TableCells.name(o), TableCells.str(o, "status.phase", "Active"), t.age(o)]
        },
        resetsStatus: false,
        defaults: { obj in
            // The `kubernetes` finalizer is set at creation (the registry's PrepareForCreate), not
            // by defaulting: once the namespace controller removes it, it stays removed.
            if obj[path: ["metadata", "creationTimestamp"]] == nil && obj[path: ["spec", "finalizers"]] == nil {
                obj.set(["spec", "finalizers"], ["kubernetes"])
            }
            if obj[path: ["status", "phase"]] == nil { obj.set(["status", "phase"], "Active") }
        },
        nameProblem: Naming.dns1123LabelProblem)
}
