extension KindDefinition {
    /// apps/v1 ReplicaSet.
    public static let replicaSet = KindDefinition(
        schema: .replicaSet,
        group: "apps", versions: ["v1"], kind: "ReplicaSet", plural: "replicasets", shortNames: ["rs"], categories: ["all"],
        subresources: ["status", "scale"], fieldSelectors: [SelectableField("status.replicas")],
        printer: TablePrinter(columns: [TableColumn("Name"), TableColumn("Desired", "integer"), TableColumn("Current", "integer"), TableColumn("Ready", "integer"),
                                        TableColumn("Age"), TableColumn("Containers", wide: true), TableColumn("Images", wide: true),
                                        TableColumn("Selector", wide: true)]) { o, t in
            let (c, i) = TableCells.containers(o[path: ["spec", "template", "spec"]])
            return [TableCells.name(o), TableCells.int(o, "spec.replicas"), TableCells.int(o, "status.replicas"), TableCells.int(o, "status.readyReplicas"),
                    t.age(o), c, i, TableCells.selector(o[path: ["spec", "selector"]])]
        },
        hasGeneration: true,
        defaults: { obj in
            Defaults.setIfMissing(&obj, ["spec", "replicas"], 1)
            Defaults.template(&obj)
        },
        validate: { Validation.workload($0, templateRequired: false) },
        validateUpdate: Validation.immutableSelector, podSpecPath: ["spec", "template", "spec"])
}
