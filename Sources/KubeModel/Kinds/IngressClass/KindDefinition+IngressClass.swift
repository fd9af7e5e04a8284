extension KindDefinition {
    /// networking.k8s.io/v1 IngressClass.
    public static let ingressClass = KindDefinition(
        schema: .ingressClass,
        group: "networking.k8s.io", versions: ["v1"], kind: "IngressClass", plural: "ingressclasses", namespaced: false,
        printer: TablePrinter(columns: [TableColumn("Name"), TableColumn("Controller"), TableColumn("Parameters"), TableColumn("Age")]) { o, t in
            [TableCells.name(o), TableCells.str(o, "spec.controller", ""),
             o[path: ["spec", "parameters"]] == nil ? "<none>" : .string(o[path: ["spec", "parameters"]]?.description ?? ""), t.age(o)]
        })
}
