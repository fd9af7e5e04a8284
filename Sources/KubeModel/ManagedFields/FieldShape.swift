/// A value's place in the schema as structured-merge-diff sees it: its type, and the field that
/// holds it (which says how a list merges).
struct FieldShape {
    let type: SchemaType?
    let field: FieldSchema?

    static let untyped = FieldShape(type: nil, field: nil)

    static func root(_ typeName: String) -> FieldShape { FieldShape(type: .ref(typeName), field: nil) }

    /// How a value of this shape is walked.
    enum Node {
        /// Owned and replaced whole: scalars, atomic structs and lists, untyped lists.
        case leaf
        /// A struct: named fields.
        case fields(TypeSchema)
        /// Map entries (labels, an untyped object), each of one shape.
        case map(FieldShape)
        /// A set of scalars (`v:` items).
        case set
        /// An associative list (`k:` items) of one shape, keyed by `keys`.
        case associative(FieldShape, keys: [String])
    }

    func node(for value: JSONValue, schemas: SchemaRegistry) -> Node {
        switch type {
        case nil, .any?:
            if case .object = value { return .map(.untyped) }
            return .leaf
        case .ref(let name)?:
            guard let t = schemas[name] else { return value.objectValue != nil ? .map(.untyped) : .leaf }
            return t.atomic ? .leaf : .fields(t)
        case .map(let inner)?:
            return .map(FieldShape(type: inner, field: nil))
        case .array(let inner)?:
            let element = FieldShape(type: inner, field: nil)
            if let keys = field?.listMapKeys ?? field?.mergeKey.map({ [$0] }), element.isObjectType { return .associative(element, keys: keys) }
            if field?.patchStrategies.contains("merge") == true && field?.mergeKey == nil { return .set }
            return .leaf
        default:
            return .leaf
        }
    }

    /// A struct field that is not a pointer: present, if empty, in every typed object.
    func isValueStruct(_ schemas: SchemaRegistry) -> Bool {
        guard let field, !field.pointer, case .ref(let name)? = type, let t = schemas[name] else { return false }
        return !t.atomic
    }

    private var isObjectType: Bool {
        switch type {
        case .ref?, .any?, nil: return true
        default: return false
        }
    }

    /// The shape of a struct field or map entry below a `fields` or `map` node.
    static func child(_ node: Node, _ key: String) -> FieldShape {
        switch node {
        case .fields(let t):
            guard let f = t.fields[key] else { return .untyped }
            return FieldShape(type: f.type, field: f)
        case .map(let inner): return inner
        default: return .untyped
        }
    }

    /// The path element naming a list item: its key fields (missing ones from their defaults) or
    /// its value; an index when neither applies.
    static func element(of item: JSONValue, at index: Int, in node: Node, schemas: SchemaRegistry) -> String {
        switch node {
        case .set:
            return FieldPath.value(item)
        case .associative(let element, let keys):
            guard case .object(let o) = item else { return "i:\(index)" }
            var key: [String: JSONValue] = [:]
            var itemType: TypeSchema?
            if case .ref(let name)? = element.type { itemType = schemas[name] }
            for k in keys {
                if let v = o[k], !v.isNull {
                    key[k] = v
                } else if let d = itemType?.fields[k]?.keyDefault {
                    key[k] = d
                }
            }
            return key.isEmpty ? "i:\(index)" : FieldPath.key(key)
        default:
            return "i:\(index)"
        }
    }
}

extension JSONValue {
    /// Null, `{}` or `[]`: what structured-merge-diff treats as "nothing here" in a container.
    var isEmptyContainer: Bool {
        switch self {
        case .null: return true
        case .object(let o): return o.isEmpty
        case .array(let a): return a.isEmpty
        default: return false
        }
    }
}
