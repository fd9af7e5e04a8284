extension KindDefinition {
    /// core/v1 Binding: only ever created, to bind a pod to a node.
    public static let binding = KindDefinition(
        schema: .binding,
        group: "", versions: ["v1"], kind: "Binding", plural: "bindings", verbs: ["create"], isStored: false)
}
