import KubeClient
import KubeModel
import KubeYAML

/// `-o yaml|json|name|jsonpath=…|custom-columns=…` for objects and lists.
enum ObjectPrinter {
    /// Several objects print as kubectl's `kind: List`.
    static func list(_ items: [JSONValue]) -> JSONValue {
        ["apiVersion": "v1", "kind": "List", "items": .array(items), "metadata": ["resourceVersion": ""]]
    }

    /// As kubectl, json and yaml leave out `metadata.managedFields` unless asked to show them.
    static func print(
        _ objects: [JSONValue], format: String, single: Bool, showManagedFields: Bool = false, resourceOf: (JSONValue) -> APIResource?
    ) throws -> String {
        var doc = single && objects.count == 1 ? objects[0] : list(objects)
        if !showManagedFields && (format == "yaml" || format == "json") { doc = omittingManagedFields(doc) }
        switch format {
        case "yaml": return YAMLEncoding.string(doc)
        case "json": return JSONSerializer.pretty(doc) + "\n"
        case "name":
            return objects.map { o in
                let prefix = resourceOf(o)?.typePrefix ?? (o["kind"]?.stringValue ?? "").lowercased()
                return "\(prefix)/\(o.metadata.name)\n"
            }.joined()
        default:
            if format.hasPrefix("jsonpath=") || format.hasPrefix("jsonpath-as-json=") {
                let template = String(format.drop { $0 != "=" }.dropFirst())
                return try JSONPath(template).render(doc)
            }
            if format.hasPrefix("custom-columns=") {
                return try CustomColumns(String(format.dropFirst("custom-columns=".count))).render(objects)
            }
            throw KctlError("unable to match a printer suitable for the output format \"\(format)\", allowed formats are: custom-columns,json,jsonpath,name,wide,yaml")
        }
    }

    /// printers.OmitManagedFieldsPrinter: the object, or each item of a list, without them.
    static func omittingManagedFields(_ doc: JSONValue) -> JSONValue {
        var out = doc
        if let items = doc["items"]?.arrayValue {
            out["items"] = .array(items.map(omittingManagedFields))
        } else if out.metadata.managedFields != nil {
            out.set(["metadata", "managedFields"], nil)
        }
        return out
    }
}
