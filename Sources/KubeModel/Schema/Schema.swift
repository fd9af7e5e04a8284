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
    public var description: String
    /// Server-side apply's `x-kubernetes-list-map-keys` when they are more than the merge key
    /// (container ports by `containerPort` and `protocol`).
    public var listMapKeys: [String]? = nil
    /// The default of a list-map key the server fills in (`protocol: TCP`), so an applied item
    /// that omits it names the same item as the stored one.
    public var keyDefault: JSONValue? = nil
    /// A Go pointer (`*T`): absent, not empty, in a freshly made object; an explicit zero is kept.
    public var pointer = false
    /// The field's number in k8s.io/api's `generated.proto`; more than one number when the field
    /// sits in a Go struct that JSON inlines and protobuf nests (`Volume.emptyDir` is field 2 of
    /// the VolumeSource at field 2: `[2, 2]`). Nil: the field has no protobuf form here.
    public var protobuf: [Int]? = nil
}

/// An object type (a Go struct in Kubernetes): its fields in declaration order.
public struct TypeSchema: Sendable {
    public let name: String
    public var description: String
    public let fieldOrder: [String]
    public var fields: [String: FieldSchema]
    /// `+structType=atomic`: server-side apply owns and replaces it whole (label selectors).
    public var atomic = false
}

/// All object types, keyed by short name ("Container", "DeploymentSpec"): the shared types of
/// the `Schemas+*.swift` files and each registered kind's own (`KindDefinition.schema`).
public struct SchemaRegistry: Sendable {
    public let types: [String: TypeSchema]

    public static let shared = SchemaRegistry(kinds: Kinds.builtin)

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

extension SchemaRegistry {
    /// The shared types and those of `kinds`, with their descriptions.
    public init(kinds: [KindDefinition]) {
        var types: [String: TypeSchema] = [:]
        for source in [coreSchemaSource, podSchemaSource, workloadSchemaSource, metaSchemaSource] + kinds.map(\.schema.types) {
            for t in parseSchemaDSL(source) { types[t.name] = t }
        }
        self.init(types: SchemaDescriptions.apply(to: types, SchemaDescriptions.describing(kinds)))
    }
}

/// Parses the schema DSL. Each type starts on an unindented line `TypeName "description"`; each
/// field is an indented line `name type[!] [@mergeKey[,listMapKey…]] [%strategy] [=keyDefault] [#number[.number]] ["description"]`
/// where type is one of string, int (int32), int64, number, bool, intstr, quantity, time, bytes,
/// any, a type name, `*type` (a Go pointer), `[]type` or `map[type]`, and `!` marks a required
/// field; `#n` is the field's protobuf number (`#2.1`: field 1 of the struct embedded at field 2).
/// A type line may carry `%atomic` after its name.
func parseSchemaDSL(_ text: String) -> [TypeSchema] {
    var out: [TypeSchema] = []
    var name = ""
    var desc = ""
    var order: [String] = []
    var fields: [String: FieldSchema] = [:]
    var atomic = false
    func flush() {
        if !name.isEmpty { out.append(TypeSchema(name: name, description: desc, fieldOrder: order, fields: fields, atomic: atomic)) }
        order = []
        fields = [:]
    }
    for rawLine in text.split(separator: "\n") {
        guard !rawLine.allSatisfy({ $0 == " " }) else { continue }
        let line = String(rawLine)
        let (head, description) = splitDescription(line)
        if !line.hasPrefix(" ") {
            flush()
            let words = head.split(separator: " ")
            name = words.first.map(String.init) ?? ""
            atomic = words.contains("%atomic")
            desc = description
            continue
        }
        let parts = head.split(separator: " ").map(String.init)
        guard parts.count >= 2 else { continue }
        var typeText = parts[1]
        let required = typeText.hasSuffix("!")
        if required { typeText.removeLast() }
        let pointer = typeText.hasPrefix("*")
        if pointer { typeText.removeFirst() }
        let keys = parts.dropFirst(2).first { $0.hasPrefix("@") }.map { $0.dropFirst().split(separator: ",").map(String.init) }
        let strategies = parts.dropFirst(2).filter { $0.hasPrefix("%") }.map { String($0.dropFirst()) }
        let keyDefault = parts.dropFirst(2).first { $0.hasPrefix("=") }.map { JSONValue.string(String($0.dropFirst())) }
        let number = parts.dropFirst(2).first { $0.hasPrefix("#") }.map { $0.dropFirst().split(separator: ".").compactMap { Int($0) } }
        order.append(parts[0])
        fields[parts[0]] = FieldSchema(
            type: parseSchemaType(typeText), required: required, mergeKey: keys?.first, patchStrategies: strategies,
            description: description, listMapKeys: (keys?.count ?? 0) > 1 ? keys : nil, keyDefault: keyDefault, pointer: pointer,
            protobuf: number)
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
