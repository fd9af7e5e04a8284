extension FieldManager {
    /// The `managedFields` of a new object that carries none: one update entry of `manager`
    /// owning all that differs from a fresh object. The same as encoding `update(live: nil, …)`,
    /// built straight as `fieldsV1` in one walk, for the write every object starts with.
    public func created(_ new: JSONValue, manager: String) -> JSONValue? {
        let root = FieldShape.root(typeName)
        let fields = ownedOnCreate(new, ZeroValue.of(typeName, schemas: schemas), root.node(for: new, schemas: schemas),
                                   stripped: Self.stripped, reset: resetFields)
        guard !fields.isEmpty else { return nil }
        var entry: [String: JSONValue] = [
            "manager": .string(manager.isEmpty ? "unknown" : manager), "operation": "Update", "apiVersion": .string(apiVersion),
            "time": .string(now), "fieldsType": "FieldsV1", "fieldsV1": .object(fields),
        ]
        if !subresource.isEmpty { entry["subresource"] = .string(subresource) }
        return [.object(entry)]
    }

    /// The `fieldsV1` children of one node: what `Comparison` finds added or modified against
    /// the fresh object `zero`, less the stripped metadata (exact paths) and the reset fields
    /// (with all below them).
    private func ownedOnCreate(_ new: JSONValue, _ zero: JSONValue?, _ node: FieldShape.Node, stripped: FieldSet?, reset: FieldSet?) -> [String: JSONValue] {
        var out: [String: JSONValue] = [:]
        func visit(_ e: String, _ v: JSONValue, _ z: JSONValue?, _ shape: FieldShape, inZero: Bool) {
            if reset?.members.contains(e) == true { return }
            var z = z
            if z == nil && inZero && shape.isValueStruct(schemas) { z = .emptyObject }
            let childNode = shape.node(for: v, schemas: schemas)
            var leaf = v.isEmptyContainer && (z?.isEmptyContainer ?? true)
            if case .leaf = childNode { leaf = true }
            let keep = stripped?.members.contains(e) != true
            if leaf {
                if keep && z != v { out[e] = .emptyObject }
                return
            }
            let below = ownedOnCreate(v, z, childNode, stripped: stripped?.children[e], reset: reset?.children[e])
            if keep && z == nil {
                var marked = below
                if !below.isEmpty { marked["."] = .emptyObject }
                out[e] = .object(marked)
            } else if !below.isEmpty {
                out[e] = .object(below)
            }
        }
        switch node {
        case .fields, .map:
            guard case .object(let o) = new else { break }
            let z = zero?.objectValue
            for (k, v) in o { visit(FieldPath.field(k), v, z?[k], FieldShape.child(node, k), inZero: z != nil) }
        case .set, .associative:
            guard case .array(let items) = new else { break }
            var element = FieldShape.untyped
            if case .associative(let shape, _) = node { element = shape }
            for (i, item) in items.enumerated() {
                visit(FieldShape.element(of: item, at: i, in: node, schemas: schemas), item, nil, element, inZero: false)
            }
        case .leaf:
            break
        }
        return out
    }
}
