/// The object operations of server-side apply (typed.Merge and the updater's prune): an applied
/// configuration merged into the live object over the schema's list keys, and the fields an
/// applier stopped applying taken out again.
enum ApplyMerge {
    /// The live object with the configuration merged in: structs and maps field by field,
    /// associative lists and sets item by item (in the order structured-merge-diff gives them),
    /// everything else replaced.
    static func merge(_ live: JSONValue?, _ config: JSONValue, _ shape: FieldShape, _ schemas: SchemaRegistry) -> JSONValue {
        guard let live, !config.isNull else { return config }
        let node = shape.node(for: config, schemas: schemas)
        switch node {
        case .leaf:
            return config
        case .fields, .map:
            guard case .object(var out) = live, case .object(let c) = config else { return config }
            for (k, v) in c { out[k] = merge(out[k], v, FieldShape.child(node, k), schemas) }
            return .object(out)
        case .set, .associative:
            guard case .array(let l) = live, case .array(let r) = config else { return config }
            var element = FieldShape.untyped
            if case .associative(let shape, _) = node { element = shape }
            return .array(mergeLists(l, r, node, element, schemas))
        }
    }

    /// structured-merge-diff's list walk: shared items take the configuration's order, items only
    /// live stay where they were, new items come where the configuration puts them.
    private static func mergeLists(
        _ lhs: [JSONValue], _ rhs: [JSONValue], _ node: FieldShape.Node, _ element: FieldShape, _ schemas: SchemaRegistry
    ) -> [JSONValue] {
        let lk = lhs.enumerated().map { FieldShape.element(of: $1, at: $0, in: node, schemas: schemas) }
        let rk = rhs.enumerated().map { FieldShape.element(of: $1, at: $0, in: node, schemas: schemas) }
        var lIndex: [String: JSONValue] = [:], rIndex: [String: JSONValue] = [:]
        for (k, v) in zip(lk, lhs) where lIndex[k] == nil { lIndex[k] = v }
        for (k, v) in zip(rk, rhs) { rIndex[k] = v }
        var shared = rk.filter { lIndex[$0] != nil }[...]
        var nextShared = shared.popFirst()
        var merged: Set<String> = []
        var out: [JSONValue] = []
        var l = 0, r = 0
        func take(_ k: String) {
            merged.insert(k)
            if let v = rIndex[k] { out.append(merge(lIndex[k], v, element, schemas)) }
            if nextShared == k { nextShared = shared.popFirst() }
        }
        while l < lk.count || r < rk.count {
            if l < lk.count && r < rk.count {
                if lk[l] == rk[r] {
                    take(rk[r])
                    l += 1
                    r += 1
                    continue
                }
                if rIndex[lk[l]] != nil, let next = nextShared, next != lk[l] {
                    l += 1
                    continue
                }
            }
            if l < lk.count {
                if rIndex[lk[l]] == nil {
                    out.append(lhs[l])
                    l += 1
                    continue
                } else if merged.contains(lk[l]) {
                    l += 1
                    continue
                }
            }
            if r < rk.count {
                take(rk[r])
                r += 1
            } else {
                l += 1
            }
        }
        return out
    }

    /// Takes out of `merged` what the applier applied last time (`last`) but nobody owns any
    /// more (`owned`, the applier's new set included). A struct field with anything owned below
    /// it counts as owned, as `EnsureNamedFieldsAreMembers` makes it.
    static func prune(_ merged: JSONValue, _ shape: FieldShape, last: FieldSet, owned: FieldSet, _ schemas: SchemaRegistry) -> JSONValue {
        let node = shape.node(for: merged, schemas: schemas)
        switch node {
        case .fields, .map:
            guard case .object(var o) = merged else { return merged }
            var isStruct = false
            if case .fields = node { isStruct = true }
            for (k, v) in o {
                let e = FieldPath.field(k)
                let named = isStruct && FieldShape.child(node, k).field != nil
                let lastChild = last.children[e]
                let inLast = last.members.contains(e) || (named && lastChild != nil)
                let isOwned = owned.members.contains(e) || (named && owned.children[e] != nil)
                if inLast && !isOwned {
                    o[k] = nil
                } else if let lastChild {
                    o[k] = prune(v, FieldShape.child(node, k), last: lastChild, owned: owned[child: e], schemas)
                }
            }
            return .object(o)
        case .set, .associative:
            guard case .array(let items) = merged else { return merged }
            var element = FieldShape.untyped
            if case .associative(let shape, _) = node { element = shape }
            var out: [JSONValue] = []
            for (i, item) in items.enumerated() {
                let e = FieldShape.element(of: item, at: i, in: node, schemas: schemas)
                if last.members.contains(e) && !owned.members.contains(e) { continue }
                if let lastChild = last.children[e] {
                    out.append(prune(item, element, last: lastChild, owned: owned[child: e], schemas))
                } else {
                    out.append(item)
                }
            }
            return .array(out)
        case .leaf:
            return merged
        }
    }
}
