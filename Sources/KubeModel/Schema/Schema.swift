/// The shape of a field's value in the per-kind schema.
public indirect enum SchemaType: Sendable, Equatable {
    /// `integer` is Go's int32 (most counts and ports), `integer64` its int64 (durations in
    /// seconds, generations, user ids): decoding checks the range of each.
    case string, integer, integer64, number, boolean, intOrString, quantity, dateTime, bytes
    /// A free-form JSON value (`x-kubernetes-preserve-unknown-fields`).
    case any
    case ref(String)
    case array(SchemaType)
    case map(SchemaType)
}

/// One field of an object type: its type, whether it is required, and its strategic-merge rules.
public struct FieldSchema: Sendable {
    public let type: SchemaType
    public let required: Bool
    /// For lists merged by key in a strategic merge patch (`containers` by `name`).
    public let mergeKey: String?
    /// Extra patch strategies: "retainKeys", or "merge" for lists of scalars merged as sets.
    public let patchStrategies: [String]
    public let description: String
}

/// An object type (a Go struct in Kubernetes): its fields in declaration order.
public struct TypeSchema: Sendable {
    public let name: String
    public let description: String
    public let fieldOrder: [String]
    public let fields: [String: FieldSchema]
}

/// All object types, keyed by short name ("Container", "DeploymentSpec"), built from the
/// compact definitions in the `Schemas+*.swift` files.
public struct SchemaRegistry: Sendable {
    public let types: [String: TypeSchema]

    public static let shared: SchemaRegistry = {
        var types: [String: TypeSchema] = [:]
        for source in [coreSchemaSource, podSchemaSource, workloadSchemaSource, networkingSchemaSource, metaSchemaSource] {
            for t in parseSchemaDSL(source) { types[t.name] = t }
        }
        return SchemaRegistry(types: SchemaDescriptions.apply(to: types))
    }()

    public subscript(name: String) -> TypeSchema? { types[name] }

    /// The field schema at a path of field names below a type, following refs, arrays and maps.
    public func field(in typeName: String, path: [String]) -> FieldSchema? {
        var current: SchemaType = .ref(typeName)
        var result: FieldSchema?
        for name in path {
            while true {
                if case .array(let inner) = current { current = inner; continue }
                if case .map(let inner) = current { current = inner; continue }
                break
            }
            guard case .ref(let t) = current, let f = types[t]?.fields[name] else { return nil }
            result = f
            current = f.type
        }
        return result
    }
}

/// Parses the schema DSL. Each type starts on an unindented line `TypeName "description"`; each
/// field is an indented line `name type[!] [@mergeKey] [%strategy] ["description"]` where type is one of
/// string, int (int32), int64, number, bool, intstr, quantity, time, bytes, any, a type name, `[]type` or
/// `map[type]`, and `!` marks a required field.
func parseSchemaDSL(_ text: String) -> [TypeSchema] {
    var out: [TypeSchema] = []
    var name = ""
    var desc = ""
    var order: [String] = []
    var fields: [String: FieldSchema] = [:]
    func flush() {
        if !name.isEmpty { out.append(TypeSchema(name: name, description: desc, fieldOrder: order, fields: fields)) }
        order = []
        fields = [:]
    }
    for rawLine in text.split(separator: "\n") {
        guard !rawLine.allSatisfy({ $0 == " " }) else { continue }
        let line = String(rawLine)
        let (head, description) = splitDescription(line)
        if !line.hasPrefix(" ") {
            flush()
            name = head.trimmingSpaces()
            desc = description
            continue
        }
        let parts = head.split(separator: " ").map(String.init)
        guard parts.count >= 2 else { continue }
        var typeText = parts[1]
        let required = typeText.hasSuffix("!")
        if required { typeText.removeLast() }
        let mergeKey = parts.dropFirst(2).first { $0.hasPrefix("@") }.map { String($0.dropFirst()) }
        let strategies = parts.dropFirst(2).filter { $0.hasPrefix("%") }.map { String($0.dropFirst()) }
        order.append(parts[0])
        fields[parts[0]] = FieldSchema(
            type: parseSchemaType(typeText), required: required, mergeKey: mergeKey, patchStrategies: strategies,
            description: description)
    }
    flush()
    return out
}

private func splitDescription(_ line: String) -> (String, String) {
    guard let q = line.firstIndex(of: "\"") else { return (line, "") }
    var d = String(line[line.index(after: q)...])
    if d.hasSuffix("\"") { d.removeLast() }
    return (String(line[..<q]), d)
}

private func parseSchemaType(_ t: String) -> SchemaType {
    if t.hasPrefix("[]") { return .array(parseSchemaType(String(t.dropFirst(2)))) }
    if t.hasPrefix("map[") && t.hasSuffix("]") { return .map(parseSchemaType(String(t.dropFirst(4).dropLast()))) }
    switch t {
    case "string": return .string
    case "int": return .integer
    case "int64": return .integer64
    case "number": return .number
    case "bool": return .boolean
    case "intstr": return .intOrString
    case "quantity": return .quantity
    case "time": return .dateTime
    case "bytes": return .bytes
    case "any": return .any
    default: return .ref(t)
    }
}
