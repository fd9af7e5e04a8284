import KubeModel

/// Decodes protobuf request bodies (kubectl 1.32+ sends them for typed creates: configmap, secret,
/// namespace, deployment, service, autoscale) into JSON. The envelope is read here; the message
/// inside by `ProtobufMessages`, from the field numbers of k8s.io/api's generated.proto that the
/// schema carries, as the schema type the kind's definition names for the body's version.
enum ProtobufDecoding {
    static let prefix: [UInt8] = [0x6b, 0x38, 0x73, 0x00]

    /// Decodes a body sent to a resource of kind `expected`. Malformed bytes are a 400 worded as
    /// kube-apiserver's `transformDecodeError` words them; a kind whose schema has no field
    /// numbers, or a field the schema holds only as free-form JSON, is a 415.
    static func decode(
        _ body: [UInt8], expected: String, messages: ProtobufMessages = .shared, kinds: [KindDefinition] = Kinds.builtin
    ) throws(APIError) -> JSONValue {
        let envelope: (apiVersion: String, kind: String, raw: [UInt8])
        do {
            envelope = try unknown(body)
        } catch {
            throw .badRequest("the object provided is unrecognized (must be of type \(expected)): \(error.message) (\(summary(body)))")
        }
        let kind = envelope.kind.isEmpty ? expected : envelope.kind
        let type = schemaType(apiVersion: envelope.apiVersion, kind: kind, kinds: kinds)
        guard messages.decodes(type) else {
            throw APIError(code: 415, reason: "UnsupportedMediaType", message: "no protobuf decoding for kind \(kind); send application/json")
        }
        do {
            var obj = try messages.decode(envelope.raw, as: type)
            obj["apiVersion"] = .string(envelope.apiVersion)
            obj["kind"] = .string(kind)
            return obj
        } catch {
            if let field = error.unsupportedField {
                throw APIError(code: 415, reason: "UnsupportedMediaType",
                               message: "no protobuf decoding for field \(field) of kind \(kind); send application/json")
            }
            let version = envelope.apiVersion.split(separator: "/").last.map(String.init) ?? ""
            throw .badRequest("\(kind) in version \"\(version)\" cannot be handled as a \(expected): \(error.message)")
        }
    }

    /// The schema type a body of `kind` in `apiVersion` is: the one the kind's definition names
    /// for that version (autoscaling/v1 HPAs differ from v2), else the type named as the kind
    /// (Scale, or a kind's other versions).
    static func schemaType(apiVersion: String, kind: String, kinds: [KindDefinition]) -> String {
        for d in kinds where d.kind == kind {
            for v in d.versions where (d.group.isEmpty ? v.name : "\(d.group)/\(v.name)") == apiVersion {
                return v.schemaType ?? kind
            }
        }
        return kind
    }

    /// The runtime.Unknown envelope after the "k8s\0" prefix: type meta and the raw message.
    private static func unknown(_ body: [UInt8]) throws(ProtobufReader.Failure) -> (apiVersion: String, kind: String, raw: [UInt8]) {
        if body.isEmpty { throw .init(message: "empty data") }
        guard body.starts(with: prefix) else {
            throw .init(message: "provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]")
        }
        if body.count == prefix.count { throw .init(message: "empty body") }
        var r = ProtobufReader(body, from: prefix.count)
        var apiVersion = ""
        var kind = ""
        var raw: [UInt8] = []
        while let (field, wire) = try r.tag(in: "Unknown") {
            switch field {
            case 1:
                try expectWire(wire, 2, "TypeMeta")
                var tm = try r.message()
                while let (f, w) = try tm.tag(in: "TypeMeta") {
                    switch f {
                    case 1: try expectWire(w, 2, "APIVersion"); apiVersion = try tm.string()
                    case 2: try expectWire(w, 2, "Kind"); kind = try tm.string()
                    default: try tm.skip(w)
                    }
                }
            case 2: try expectWire(wire, 2, "Raw"); raw = try r.bytes()
            case 3: try expectWire(wire, 2, "ContentEncoding"); _ = try r.bytes()
            case 4: try expectWire(wire, 2, "ContentType"); _ = try r.bytes()
            default: try r.skip(wire)
            }
        }
        return (apiVersion, kind, raw)
    }

    /// kube-apiserver's `summarizeData`: the first 30 bytes, in hex unless the body is JSON.
    static func summary(_ body: [UInt8]) -> String {
        guard let first = body.first else { return "<empty>" }
        let head = body.prefix(30)
        let more = body.count > 30 ? " ..." : ""
        if first == UInt8(ascii: "{") { return String(decoding: head, as: UTF8.self) + more }
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        for b in head { hex += [digits[Int(b >> 4)], digits[Int(b & 0xf)]] }
        return String(decoding: hex, as: UTF8.self) + more
    }

    private static func expectWire(_ wire: Int, _ expected: Int, _ field: String) throws(ProtobufReader.Failure) {
        try ProtobufMessages.expectWire(wire, expected, field)
    }
}
