import KubeModel

/// The Swagger document as gnostic's `openapi.v2.Document` protobuf (field numbers from
/// gnostic's openapiv2/OpenAPIv2.proto), which is what kubectl asks `/openapi/v2` for.
/// Maps become repeated (name, value) pairs in sorted order; vendor extensions carry their
/// value as YAML text (JSON is YAML).
extension OpenAPIV2 {
    static func protobuf(_ doc: JSONValue) -> [UInt8] {
        var w = ProtoWriter()
        w.string(1, doc["swagger"]?.stringValue)
        w.message(2) { info in
            info.string(1, doc[path: ["info", "title"]]?.stringValue)
            info.string(2, doc[path: ["info", "version"]]?.stringValue)
        }
        w.message(8) { paths in
            for (name, item) in sorted(doc["paths"]) {
                paths.message(2) { named in
                    named.string(1, name)
                    named.message(2) { pathItem(&$0, item) }
                }
            }
        }
        w.message(9) { defs in
            for (name, s) in sorted(doc["definitions"]) { defs.namedSchema(1, name, s) }
        }
        return w.bytes
    }

    private static func sorted(_ v: JSONValue?) -> [(String, JSONValue)] {
        (v?.objectValue ?? [:]).sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// PathItem: get 2, put 3, post 4, delete 5, patch 8, parameters 9.
    private static func pathItem(_ w: inout ProtoWriter, _ item: JSONValue) {
        for (verb, field) in [("get", 2), ("put", 3), ("post", 4), ("delete", 5), ("patch", 8)] {
            if let op = item[verb] { w.message(field) { operation(&$0, op) } }
        }
        for p in item["parameters"]?.arrayValue ?? [] { w.message(9) { parametersItem(&$0, p) } }
    }

    /// Operation: operation_id 5, produces 6, consumes 7, parameters 8, responses 9, schemes 10,
    /// vendor_extension 13.
    private static func operation(_ w: inout ProtoWriter, _ op: JSONValue) {
        w.string(5, op["operationId"]?.stringValue)
        for s in op["produces"]?.arrayValue ?? [] { w.string(6, s.stringValue) }
        for s in op["consumes"]?.arrayValue ?? [] { w.string(7, s.stringValue) }
        for p in op["parameters"]?.arrayValue ?? [] { w.message(8) { parametersItem(&$0, p) } }
        w.message(9) { responses in
            for (code, r) in sorted(op["responses"]) {
                // NamedResponseValue { name 1, ResponseValue { response 1: Response } }
                responses.message(1) { named in
                    named.string(1, code)
                    named.message(2) { value in
                        value.message(1) { resp in
                            resp.string(1, r["description"]?.stringValue)
                            if let s = r["schema"] { resp.message(2) { $0.message(1) { schema(&$0, s) } } }
                        }
                    }
                }
            }
        }
        for s in op["schemes"]?.arrayValue ?? [] { w.string(10, s.stringValue) }
        vendorExtensions(&w, 13, op)
    }

    /// ParametersItem { parameter 1: Parameter { body_parameter 1 | non_body_parameter 2 } }.
    private static func parametersItem(_ w: inout ProtoWriter, _ p: JSONValue) {
        w.message(1) { parameter in
            if p["in"] == "body" {
                parameter.message(1) { body in
                    body.string(1, p["description"]?.stringValue)
                    body.string(2, p["name"]?.stringValue)
                    body.string(3, "body")
                    body.bool(4, p["required"] == true)
                    if let s = p["schema"] { body.message(5) { schema(&$0, s) } }
                }
                return
            }
            parameter.message(2) { nonBody in
                // QueryParameterSubSchema 3 (type 6) or PathParameterSubSchema 4 (type 5).
                let inPath = p["in"] == "path"
                nonBody.message(inPath ? 4 : 3) { sub in
                    sub.bool(1, p["required"] == true)
                    sub.string(2, p["in"]?.stringValue)
                    sub.string(3, p["description"]?.stringValue)
                    sub.string(4, p["name"]?.stringValue)
                    sub.string(inPath ? 5 : 6, p["type"]?.stringValue)
                    if inPath { sub.bool(19, p["uniqueItems"] == true) }
                }
            }
        }
    }

    /// Schema: _ref 1, format 2, description 4, required 19, additional_properties 21, type 22,
    /// items 23, properties 25, vendor_extension 31.
    static func schema(_ w: inout ProtoWriter, _ s: JSONValue) {
        w.string(1, s["$ref"]?.stringValue)
        w.string(2, s["format"]?.stringValue)
        w.string(4, s["description"]?.stringValue)
        for r in s["required"]?.arrayValue ?? [] { w.string(19, r.stringValue) }
        if let extra = s["additionalProperties"], case .object = extra {
            w.message(21) { $0.message(1) { schema(&$0, extra) } }
        }
        if let type = s["type"]?.stringValue { w.message(22) { $0.string(1, type) } }
        if let items = s["items"] { w.message(23) { $0.message(1) { schema(&$0, items) } } }
        if let props = s["properties"] {
            w.message(25) { p in for (name, prop) in sorted(props) { p.namedSchema(1, name, prop) } }
        }
        vendorExtensions(&w, 31, s)
    }

    /// NamedAny { name 1, value 2: Any { yaml 2 } } for each `x-` key.
    private static func vendorExtensions(_ w: inout ProtoWriter, _ field: Int, _ obj: JSONValue) {
        for (name, value) in sorted(obj) where name.hasPrefix("x-") {
            w.message(field) { named in
                named.string(1, name)
                named.message(2) { $0.string(2, JSONSerializer.string(value)) }
            }
        }
    }
}

/// A protobuf encoder for the few wire types the gnostic messages use.
struct ProtoWriter {
    var bytes: [UInt8] = []

    mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7f) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    mutating func tag(_ field: Int, _ wire: UInt64) { varint(UInt64(field) << 3 | wire) }

    /// A string field; proto3 leaves empty strings out.
    mutating func string(_ field: Int, _ s: String?) {
        guard let s, !s.isEmpty else { return }
        tag(field, 2)
        varint(UInt64(s.utf8.count))
        bytes.append(contentsOf: s.utf8)
    }

    mutating func bool(_ field: Int, _ b: Bool) {
        guard b else { return }
        tag(field, 0)
        varint(1)
    }

    /// An embedded message, written even when empty (its presence can matter, as for a oneof).
    mutating func message(_ field: Int, _ body: (inout ProtoWriter) -> Void) {
        var inner = ProtoWriter()
        body(&inner)
        tag(field, 2)
        varint(UInt64(inner.bytes.count))
        bytes.append(contentsOf: inner.bytes)
    }

    /// NamedSchema { name 1, value 2: Schema }.
    mutating func namedSchema(_ field: Int, _ name: String, _ s: JSONValue) {
        message(field) { named in
            named.string(1, name)
            named.message(2) { OpenAPIV2.schema(&$0, s) }
        }
    }
}
