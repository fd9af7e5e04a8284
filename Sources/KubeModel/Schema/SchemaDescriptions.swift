/// The `Descriptions+*.swift` texts and each kind's (`KindSchema.descriptions`): a short
/// description of each type and field, written for someone learning Kubernetes, in the schema
/// DSL's shape without types: `TypeName "text"`, then indented `field "text"` lines. `kubectl
/// explain` shows them through the OpenAPI documents.
enum SchemaDescriptions {
    /// Those of the shared types; each kind's are in its `Schema+<Kind>.swift`.
    static let sources = [metaDescriptionSource, podDescriptionSource]

    struct Entry: Equatable {
        let type: String
        /// nil for the type's own description.
        let field: String?
        let text: String
    }

    static let entries: [Entry] = describing(Kinds.builtin)

    /// The shared entries and those of `kinds`.
    static func describing(_ kinds: [KindDefinition]) -> [Entry] {
        (sources + kinds.map(\.schema.descriptions)).flatMap { parse($0) }
    }

    static func parse(_ text: String) -> [Entry] {
        var out: [Entry] = []
        var type = ""
        for line in text.split(separator: "\n") where !line.allSatisfy({ $0 == " " }) {
            guard let q = line.firstIndex(of: "\"") else { continue }
            let name = String(line[..<q]).trimmingSpaces()
            var description = String(line[line.index(after: q)...])
            if description.hasSuffix("\"") { description.removeLast() }
            if line.hasPrefix(" ") {
                out.append(Entry(type: type, field: name, text: description))
            } else {
                type = name
                out.append(Entry(type: type, field: nil, text: description))
            }
        }
        return out
    }

    /// The types with the descriptions written here in place of the schema's own.
    static func apply(to types: [String: TypeSchema], _ entries: [Entry]) -> [String: TypeSchema] {
        var types = types
        for e in entries {
            guard var t = types[e.type] else { continue }
            if let name = e.field {
                t.fields[name]?.description = e.text
            } else {
                t.description = e.text
            }
            types[e.type] = t
        }
        return types
    }
}
