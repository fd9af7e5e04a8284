import KubeModel

/// `kind: Status` bodies written byte for byte as kube-apiserver writes them: encoding/json keeps
/// metav1.Status's field order (kind, apiVersion, metadata, status, message, reason, details,
/// code) and json.Encoder ends the body with a newline. Client libraries compare these bodies;
/// every other object keeps the sorted keys of `JSONSerializer`.
enum StatusEncoding {
    /// A Go struct's JSON field order; `nested` gives the order inside struct-valued fields
    /// (and inside each element of a list of structs).
    struct Shape {
        let fields: [String]
        var nested: [String: Shape] = [:]
    }

    static let cause = Shape(fields: ["reason", "message", "field"])
    static let details = Shape(fields: ["name", "group", "kind", "uid", "causes", "retryAfterSeconds"], nested: ["causes": cause])
    static let listMeta = Shape(fields: ["selfLink", "resourceVersion", "continue", "remainingItemCount"])
    static let status = Shape(
        fields: ["kind", "apiVersion", "metadata", "status", "message", "reason", "details", "code"],
        nested: ["metadata": listMeta, "details": details])

    static func isStatus(_ value: JSONValue) -> Bool {
        value["kind"] == "Status" && value["apiVersion"] == "v1"
    }

    static func serialize(_ value: JSONValue) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(value, status, into: &out)
        out.append(UInt8(ascii: "\n"))
        return out
    }

    private static func write(_ value: JSONValue, _ shape: Shape, into out: inout [UInt8]) {
        switch value {
        case .object(let o):
            out.append(UInt8(ascii: "{"))
            // Fields Go's struct does not have cannot come from our own Status values; should one
            // appear, it is kept, after the known ones, in sorted order.
            let keys = shape.fields.filter { o[$0] != nil } + o.keys.filter { !shape.fields.contains($0) }.sorted()
            for (i, key) in keys.enumerated() {
                guard let v = o[key] else { continue }
                if i > 0 { out.append(UInt8(ascii: ",")) }
                JSONSerializer.writeString(key, into: &out)
                out.append(UInt8(ascii: ":"))
                if let inner = shape.nested[key] { write(v, inner, into: &out) } else { JSONSerializer.write(v, into: &out) }
            }
            out.append(UInt8(ascii: "}"))
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                write(item, shape, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        default:
            JSONSerializer.write(value, into: &out)
        }
    }
}
