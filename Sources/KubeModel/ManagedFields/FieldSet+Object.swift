extension FieldSet {
    /// The fields an applied configuration sets (typed.ToFieldSet): every scalar, atomic value,
    /// map entry and list item, and struct fields set to null or `{}`.
    public init(of value: JSONValue, typeName: String, schemas: SchemaRegistry = .shared) {
        self.init()
        collect(value, .root(typeName), schemas)
    }

    private mutating func collect(_ value: JSONValue, _ shape: FieldShape, _ schemas: SchemaRegistry) {
        let node = shape.node(for: value, schemas: schemas)
        switch node {
        case .fields, .map:
            guard case .object(let o) = value else { return }
            for (k, v) in o {
                let e = FieldPath.field(k)
                let childShape = FieldShape.child(node, k)
                // Map entries and undeclared fields are members; struct fields only when null or {}.
                var member = v.isNull || v == .emptyObject
                switch node {
                case .map: member = true
                case .fields(let t): member = member || t.fields[k] == nil
                default: break
                }
                if member { members.insert(e) }
                insertBelow(e, v, childShape, schemas)
            }
        case .set, .associative:
            guard case .array(let items) = value else { return }
            for (i, item) in items.enumerated() {
                let e = FieldShape.element(of: item, at: i, in: node, schemas: schemas)
                members.insert(e)
                if case .associative(let element, _) = node { insertBelow(e, item, element, schemas) }
            }
        case .leaf:
            break
        }
    }

    /// Adds what lies below element `e` (the value itself when it is a leaf).
    private mutating func insertBelow(_ e: String, _ v: JSONValue, _ shape: FieldShape, _ schemas: SchemaRegistry) {
        if case .leaf = shape.node(for: v, schemas: schemas) {
            members.insert(e)
            return
        }
        var child = FieldSet()
        child.collect(v, shape, schemas)
        if !child.isEmpty { children[e] = child }
    }
}

/// What changed between two versions of an object (typed.Compare): leaves added, changed and
/// removed, and containers (structs, maps, list items) that appeared or went away.
public struct Comparison: Sendable, Equatable {
    public var added = FieldSet()
    public var modified = FieldSet()
    public var removed = FieldSet()

    public init() {}

    public var isEmpty: Bool { added.isEmpty && modified.isEmpty && removed.isEmpty }

    /// `old` nil compares against a fresh object of the type (see `FieldSet.zeroValue`).
    public init(old: JSONValue?, new: JSONValue, typeName: String, schemas: SchemaRegistry = .shared) {
        self.init()
        let shape = FieldShape.root(typeName)
        let before = old ?? ZeroValue.of(typeName, schemas: schemas)
        compareChildren(before, new, shape.node(for: new, schemas: schemas), schemas)
    }

    /// Leaves the paths in `ignored`, and everything below them, out of all three sets.
    public func excluding(_ ignored: FieldSet) -> Comparison {
        guard !ignored.isEmpty else { return self }
        var c = self
        c.added = added.subtractingRecursively(ignored)
        c.modified = modified.subtractingRecursively(ignored)
        c.removed = removed.subtractingRecursively(ignored)
        return c
    }

    /// `inOld`/`inNew`: the parent exists on that side.
    private mutating func compare(
        _ old: JSONValue?, _ new: JSONValue?, _ shape: FieldShape, _ e: String, _ schemas: SchemaRegistry, inOld: Bool = true, inNew: Bool = true
    ) {
        guard let probe = new ?? old else { return }
        // A Go value struct (spec, status, template) is never missing from a typed object whose
        // parent exists: a side without it has it empty.
        var old = old, new = new
        if shape.isValueStruct(schemas) {
            if old == nil && inOld { old = .emptyObject } else if new == nil && inNew { new = .emptyObject }
        }
        let node = shape.node(for: probe, schemas: schemas)
        var leaf = false
        switch node {
        case .leaf: leaf = true
        default: leaf = (old?.isEmptyContainer ?? true) && (new?.isEmptyContainer ?? true)
        }
        if leaf {
            if old == nil { added.members.insert(e) } else if new == nil { removed.members.insert(e) } else if old != new { modified.members.insert(e) }
            return
        }
        var sub = Comparison()
        sub.compareChildren(old, new, node, schemas)
        if old == nil { added.members.insert(e) } else if new == nil { removed.members.insert(e) }
        // Each element is compared once: its subtrees are new here.
        if !sub.added.isEmpty { added.children[e] = sub.added }
        if !sub.modified.isEmpty { modified.children[e] = sub.modified }
        if !sub.removed.isEmpty { removed.children[e] = sub.removed }
    }

    private mutating func compareChildren(_ old: JSONValue?, _ new: JSONValue?, _ node: FieldShape.Node, _ schemas: SchemaRegistry) {
        switch node {
        case .fields, .map:
            let o = old?.objectValue ?? [:], n = new?.objectValue ?? [:]
            let inOld = old?.objectValue != nil, inNew = new?.objectValue != nil
            for (k, v) in n { compare(o[k], v, FieldShape.child(node, k), FieldPath.field(k), schemas, inOld: inOld, inNew: inNew) }
            for (k, v) in o where n[k] == nil { compare(v, nil, FieldShape.child(node, k), FieldPath.field(k), schemas, inOld: inOld, inNew: inNew) }
        case .set, .associative:
            var element = FieldShape.untyped
            if case .associative(let shape, _) = node { element = shape }
            let before = Self.index(old?.arrayValue ?? [], node, schemas)
            let after = Self.index(new?.arrayValue ?? [], node, schemas)
            for (e, v) in after { compare(before[e], v, element, e, schemas) }
            for (e, v) in before where after[e] == nil { compare(v, nil, element, e, schemas) }
        case .leaf:
            break
        }
    }

    static func index(_ items: [JSONValue], _ node: FieldShape.Node, _ schemas: SchemaRegistry) -> [String: JSONValue] {
        var out: [String: JSONValue] = [:]
        out.reserveCapacity(items.count)
        for (i, item) in items.enumerated() { out[FieldShape.element(of: item, at: i, in: node, schemas: schemas)] = item }
        return out
    }
}

/// A freshly made object of a type, as Go's zero value encodes it: value structs present (so
/// `spec` and `template` are not "added" on create), required fields null, the rest absent.
enum ZeroValue {
    static func of(_ typeName: String, schemas: SchemaRegistry) -> JSONValue {
        if schemas.types.count == shared.count, let v = shared[typeName] { return v }
        return object(typeName, schemas, depth: 0)
    }

    /// Zero values of every type of the shared registry, made once.
    private static let shared: [String: JSONValue] = SchemaRegistry.shared.types.keys.reduce(into: [:]) {
        $0[$1] = object($1, .shared, depth: 0)
    }

    private static func object(_ typeName: String, _ schemas: SchemaRegistry, depth: Int) -> JSONValue {
        guard depth < 16, let t = schemas[typeName] else { return .emptyObject }
        var out: [String: JSONValue] = [:]
        for (name, f) in t.fields {
            if case .ref(let inner) = f.type, !f.pointer, let it = schemas[inner], !it.atomic {
                out[name] = object(inner, schemas, depth: depth + 1)
            } else if f.required {
                out[name] = .null
            }
        }
        return .object(out)
    }
}
