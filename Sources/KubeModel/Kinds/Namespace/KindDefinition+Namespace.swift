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
        nameProblem: Naming.dns1123LabelProblem,
        hooks: KindHooks(
            beforeDelete: { obj, request in
                // The namespace storage's Delete: a namespace with finalizers turns Terminating,
                // and the namespace controller empties and finalizes it.
                if obj[path: ["metadata", "deletionTimestamp"]] != nil { return .unchanged }
                let specFinalizers = obj[path: ["spec", "finalizers"]]?.arrayValue ?? []
                if specFinalizers.isEmpty && (obj[path: ["metadata", "finalizers"]]?.arrayValue ?? []).isEmpty { return .delete }
                var obj = obj
                obj.set(["metadata", "deletionTimestamp"], .string(Timestamp.format(request.now)))
                obj.set(["metadata", "deletionGracePeriodSeconds"], 0)
                obj.set(["status", "phase"], "Terminating")
                return .put(obj)
            },
            awaitsFinalization: { !($0[path: ["spec", "finalizers"]]?.arrayValue ?? []).isEmpty }))
}
