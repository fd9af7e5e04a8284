import ArgumentParser
import Foundation
import KubeClient
import KubeModel

/// `explain TYPE[.field...]` from the server's OpenAPI v3 documents, printed as kubectl does.
struct Explain: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "explain", abstract: "Get documentation for a resource.")
    @OptionGroup var global: GlobalOptions
    @Argument var target: String

    func run() async throws {
        try await Kctl.guarded {
            let session = try global.session()
            let parts = target.split(separator: ".").map(String.init)
            let r = try await session.resource(parts[0])
            let gvPath = r.group.isEmpty ? "api/\(r.version)" : "apis/\(r.group)/\(r.version)"
            let doc = try await session.client.call("GET", "/openapi/v3/\(gvPath)")
            // The OpenAPI v3 document, walked generically by field name.
            let schemas = doc[path: ["components", "schemas"]]?.objectValue ?? [:]
            guard let root = schemas.values.first(where: { s in
                (s["x-kubernetes-group-version-kind"]?.arrayValue ?? []).contains { $0["kind"]?.stringValue == r.kind && $0["version"]?.stringValue == r.version }
            }) else { throw KctlError("couldn't find resource for \"\(r.qualifiedPlural)\"") }
            var schema = root
            var field: (name: String, type: String, description: String)?
            for name in parts.dropFirst() {
                guard let prop = schema["properties"]?[name] else {
                    throw KctlError("field \"\(name)\" does not exist")
                }
                let resolved = Self.resolve(prop, schemas)
                var description = prop["description"]?.stringValue ?? ""
                if let typeDescription = resolved["description"]?.stringValue, !typeDescription.isEmpty, resolved != prop {
                    description += (description.isEmpty ? "" : "\n") + typeDescription
                }
                field = (name, Self.typeName(prop), description)
                schema = resolved
            }
            var out = (r.group.isEmpty ? "" : "GROUP:      \(r.group)\n") + "KIND:       \(r.kind)\nVERSION:    \(r.version)\n\n"
            if let field {
                out += "FIELD: \(field.name) <\(field.type)>\n\n\n"
                out += "DESCRIPTION:\n" + Self.wrap(field.description, indent: 4) + "    \n"
            } else {
                out += "DESCRIPTION:\n" + Self.wrap(root["description"]?.stringValue ?? "<empty>", indent: 4) + "    \n"
            }
            let props = schema["properties"]?.objectValue ?? [:]
            if !props.isEmpty {
                let required = Set((schema["required"]?.arrayValue ?? []).compactMap(\.stringValue))
                out += "FIELDS:\n"
                for name in props.keys.sorted() {
                    guard let p = props[name] else { continue }
                    out += "  \(name)\t<\(Self.typeName(p))>\(required.contains(name) ? " -required-" : "")\n"
                    out += Self.wrap(p["description"]?.stringValue ?? "<no description>", indent: 4) + "\n"
                }
            }
            Terminal.out(out + "\n")
        }
    }

    /// A property's schema with `allOf`/`$ref`/array items followed to the object it describes.
    static func resolve(_ p: JSONValue, _ schemas: [String: JSONValue]) -> JSONValue {
        if let ref = p["$ref"]?.stringValue ?? p["allOf"]?.arrayValue?.first?["$ref"]?.stringValue {
            return schemas[String(ref.split(separator: "/").last ?? "")] ?? p
        }
        if let items = p["items"] { return resolve(items, schemas) }
        if let values = p["additionalProperties"], values["$ref"] != nil || values["allOf"] != nil { return resolve(values, schemas) }
        return p
    }

    static func typeName(_ p: JSONValue) -> String {
        if let ref = p["$ref"]?.stringValue ?? p["allOf"]?.arrayValue?.first?["$ref"]?.stringValue {
            return String(ref.split(separator: ".").last ?? "Object")
        }
        if p["x-kubernetes-int-or-string"] == true { return "IntOrString" }
        switch p["type"]?.stringValue {
        case "array": return "[]" + typeName(p["items"] ?? .emptyObject)
        case "object":
            if let v = p["additionalProperties"] { return "map[string]" + typeName(v) }
            return "Object"
        case let t?: return t
        default: return "Object"
        }
    }

    /// Word-wraps to 80 columns, as kubectl's explain printer does.
    static func wrap(_ text: String, indent: Int) -> String {
        let pad = String(repeating: " ", count: indent)
        var out = ""
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            for word in paragraph.split(separator: " ") {
                if !line.isEmpty && pad.count + line.count + 1 + word.count > 80 {
                    out += pad + line + "\n"
                    line = ""
                }
                line += (line.isEmpty ? "" : " ") + word
            }
            out += pad + line + "\n"
        }
        return out
    }
}
