/// Decodes k8s.io/api protobuf messages into JSON by the field numbers the schema carries
/// (`replicas *int #1`): the wire form of each field follows from its `SchemaType` (string,
/// varint, bool, bytes, Time, Quantity, IntOrString, repeated, map, nested message by ref).
/// Unknown field numbers are skipped, as `generated.pb.go` skips them; a field the schema holds
/// only as `any` cannot be read unless empty, and fails with `unsupportedField` set.
public struct ProtobufMessages: Sendable {
    /// What a field number of a message stands for: a field of the type, or a Go struct that
    /// JSON inlines and protobuf nests (VolumeSource in Volume, ProbeHandler in Probe).
    indirect enum Slot: Sendable {
        case field(String, FieldSchema)
        case inline([Int: Slot])
    }

    let tables: [String: [Int: Slot]]

    public static let shared = ProtobufMessages(.shared)

    /// Messages are nested no deeper than the schema's types; this bounds a hostile body
    /// should a schema ever refer to itself.
    static let maxDepth = 64

    public init(_ schemas: SchemaRegistry) {
        var tables: [String: [Int: Slot]] = [:]
        for (name, type) in schemas.types {
            var table: [Int: Slot] = [:]
            for field in type.fieldOrder {
                guard let f = type.fields[field], let number = f.protobuf, !number.isEmpty else { continue }
                Self.insert(.field(field, f), at: number[...], into: &table)
            }
            if !table.isEmpty { tables[name] = table }
        }
        self.tables = tables
    }

    private static func insert(_ slot: Slot, at path: ArraySlice<Int>, into table: inout [Int: Slot]) {
        guard let first = path.first else { return }
        if path.count == 1 {
            table[first] = slot
            return
        }
        var inner: [Int: Slot] = [:]
        if case .inline(let existing)? = table[first] { inner = existing }
        insert(slot, at: path.dropFirst(), into: &inner)
        table[first] = .inline(inner)
    }

    /// Whether the schema type has field numbers, so a body of it can be decoded.
    public func decodes(_ type: String) -> Bool { tables[type] != nil }

    /// The JSON of a message of schema type `type`.
    public func decode(_ bytes: [UInt8], as type: String) throws(ProtobufReader.Failure) -> JSONValue {
        try message(ProtobufReader(bytes), type, path: "", depth: 0)
    }

    /// Fields of one JSON object as they are read: repeated fields and map entries gather here,
    /// so a long list costs linear time.
    private struct Object {
        var fields: [String: JSONValue] = [:]
        var lists: [String: [JSONValue]] = [:]
        var maps: [String: [String: JSONValue]] = [:]

        var value: JSONValue {
            var o = fields
            for (name, items) in lists { o[name] = .array(items) }
            for (name, entries) in maps { o[name] = .object(entries) }
            return .object(o)
        }
    }

    private func message(_ reader: ProtobufReader, _ type: String, path: String, depth: Int) throws(ProtobufReader.Failure) -> JSONValue {
        guard let table = tables[type] else { throw Self.unsupported(path) }
        guard depth < Self.maxDepth else { throw ProtobufReader.Failure(message: "proto: \(type): exceeded maximum nesting depth") }
        var object = Object()
        try read(reader, table, type, path: path, depth: depth, into: &object)
        return object.value
    }

    private func read(
        _ reader: ProtobufReader, _ table: [Int: Slot], _ type: String, path: String, depth: Int, into object: inout Object
    ) throws(ProtobufReader.Failure) {
        var r = reader
        while let (number, wire) = try r.tag(in: type) {
            switch table[number] {
            case nil:
                try r.skip(wire)
            case .inline(let inner)?:
                try Self.expectWire(wire, 2, "\(number)")
                try read(r.message(), inner, type, path: path, depth: depth + 1, into: &object)
            case .field(let name, let f)?:
                let fieldPath = path.isEmpty ? name : "\(path).\(name)"
                try field(&r, wire, name, f, type, path: fieldPath, depth: depth, into: &object)
            }
        }
    }

    private func field(
        _ r: inout ProtobufReader, _ wire: Int, _ name: String, _ f: FieldSchema, _ type: String, path: String, depth: Int,
        into object: inout Object
    ) throws(ProtobufReader.Failure) {
        switch f.type {
        case .array(let element):
            // Repeated varints may come packed (one length-delimited run), as Go accepts them.
            if wire == 2, element == .integer || element == .integer64 || element == .boolean {
                var packed = try r.message()
                while !packed.atEnd {
                    let v = try packed.varint()
                    object.lists[name, default: []].append(element == .boolean ? .bool(v != 0) : .int(Int64(bitPattern: v)))
                }
                return
            }
            if let v = try value(&r, wire, element, name, path: path, depth: depth, keepZero: true) {
                object.lists[name, default: []].append(v)
            }
        case .map(let element):
            try Self.expectWire(wire, 2, Self.goName(name))
            let (key, v) = try entry(r.message(), element, type, path: path)
            object.maps[name, default: [:]][key] = v
        default:
            if let v = try value(&r, wire, f.type, name, path: path, depth: depth, keepZero: f.pointer) { object.fields[name] = v }
        }
    }

    /// One value; nil for a zero scalar that JSON omits (a Go pointer keeps its explicit zero).
    private func value(
        _ r: inout ProtobufReader, _ wire: Int, _ type: SchemaType, _ name: String, path: String, depth: Int, keepZero: Bool
    ) throws(ProtobufReader.Failure) -> JSONValue? {
        switch type {
        case .integer, .integer64, .boolean:
            try Self.expectWire(wire, 0, Self.goName(name))
            let v = try r.varint()
            if v == 0 && !keepZero { return nil }
            return type == .boolean ? .bool(v != 0) : .int(Int64(bitPattern: v))
        case .number, .array, .map:
            throw Self.unsupported(path)
        default:
            break
        }
        try Self.expectWire(wire, 2, Self.goName(name))
        switch type {
        case .string:
            let s = try r.string()
            return s.isEmpty && !keepZero ? nil : .string(s)
        case .bytes:
            return .string(Base64.encode(try r.bytes()))
        case .quantity:
            return try Self.quantity(r.message())
        case .dateTime:
            return try Self.time(r.message())
        case .intOrString:
            return try Self.intOrString(r.message())
        case .ref(let t) where decodes(t):
            return try message(r.message(), t, path: path, depth: depth + 1)
        case .ref, .any:
            // Free-form or unnumbered (conditions, whose numbers differ by kind). Go sends a struct
            // that is not a pointer even when empty (a Service's `status.loadBalancer`); only one
            // with content needs numbers to be read.
            guard try r.bytes().isEmpty else { throw Self.unsupported(path) }
            return .object([:])
        default:
            throw Self.unsupported(path)
        }
    }

    /// A map entry: key 1, value 2. Like generated.pb.go, entries read their key and value
    /// without looking at wire types.
    private func entry(_ reader: ProtobufReader, _ element: SchemaType, _ type: String, path: String) throws(ProtobufReader.Failure) -> (String, JSONValue) {
        var e = reader
        var key = ""
        var value: JSONValue = ""
        while let (f, w) = try e.tag(in: type) {
            if f == 1 {
                key = try e.string()
            } else if f == 2 {
                switch element {
                case .string: value = .string(try e.string())
                case .bytes: value = .string(Base64.encode(try e.bytes()))
                case .quantity: value = try Self.quantity(e.message()) ?? value
                default: throw Self.unsupported(path)
                }
            } else {
                try e.skip(w)
            }
        }
        return (key, value)
    }

    /// resource.Quantity: its string form in field 1.
    private static func quantity(_ reader: ProtobufReader) throws(ProtobufReader.Failure) -> JSONValue? {
        var q = reader
        var out: JSONValue?
        while let (f, w) = try q.tag(in: "Quantity") {
            if f == 1 { try expectWire(w, 2, "String_"); out = .string(try q.string()) } else { try q.skip(w) }
        }
        return out
    }

    /// metav1.Time: seconds since the epoch in field 1.
    private static func time(_ reader: ProtobufReader) throws(ProtobufReader.Failure) -> JSONValue? {
        var t = reader
        var secs: Int64 = 0
        while let (f, w) = try t.tag(in: "Timestamp") {
            if f == 1 { try expectWire(w, 0, "Seconds"); secs = Int64(bitPattern: try t.varint()) } else { try t.skip(w) }
        }
        // Only years 0001-9999 have an RFC 3339 form; the server sets creationTimestamp anyway.
        guard secs != 0, secs >= -62_135_596_800, secs <= 253_402_300_799 else { return nil }
        return .string(Timestamp.format(.init(timeIntervalSince1970: Double(secs))))
    }

    /// intstr.IntOrString: type 1 (1 is a string), intVal 2, strVal 3.
    private static func intOrString(_ reader: ProtobufReader) throws(ProtobufReader.Failure) -> JSONValue {
        var t = reader
        var type: UInt64 = 0
        var i: Int64 = 0
        var s = ""
        while let (f, w) = try t.tag(in: "IntOrString") {
            switch f {
            case 1: try expectWire(w, 0, "Type"); type = try t.varint()
            case 2: try expectWire(w, 0, "IntVal"); i = Int64(bitPattern: try t.varint())
            case 3: try expectWire(w, 2, "StrVal"); s = try t.string()
            default: try t.skip(w)
            }
        }
        return type == 1 ? .string(s) : .int(i)
    }

    public static func expectWire(_ wire: Int, _ expected: Int, _ field: String) throws(ProtobufReader.Failure) {
        guard wire == expected else { throw .init(message: "proto: wrong wireType = \(wire) for field \(field)") }
    }

    /// Go's field name, for errors: the JSON name with a capital first letter.
    private static func goName(_ json: String) -> String { json.prefix(1).uppercased() + json.dropFirst() }

    private static func unsupported(_ path: String) -> ProtobufReader.Failure {
        .init(message: "no protobuf decoding for field \(path)", unsupportedField: path)
    }
}
