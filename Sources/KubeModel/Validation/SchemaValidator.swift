import Foundation

/// Walks an object against its kind's schema, as decoding into Go structs would: it finds unknown
/// fields (dropped, or an error under `fieldValidation=Strict`), wrong types (a decode error),
/// missing required fields and malformed quantities.
public struct SchemaValidator {
    public struct Result: Sendable {
        /// The object without unknown fields: what the API server would store.
        public var pruned: JSONValue
        public var unknownFields: [String]
        public var typeError: String?
        public var errors: [FieldError]
    }

    let schemas: SchemaRegistry
    private var unknown: [String] = []
    private var typeError: String?
    private var errors: [FieldError] = []
    private var checkRequired = true

    public init(schemas: SchemaRegistry = .shared) { self.schemas = schemas }

    public static func check(_ object: JSONValue, typeName: String, schemas: SchemaRegistry = .shared) -> Result {
        var v = SchemaValidator(schemas: schemas)
        let pruned: JSONValue
        switch v.walk(object, .ref(typeName), structName: typeName) {
        case .same, .drop: pruned = object
        case .replaced(let w): pruned = w
        }
        return Result(pruned: pruned, unknownFields: v.unknown, typeError: v.typeError, errors: v.errors)
    }

    /// What the walk did to a value: nothing (the common case, so no copy is made), replaced it
    /// (pruned or normalised), or dropped it (wrong type).
    private enum Outcome {
        case same
        case replaced(JSONValue)
        case drop
    }

    static func isEmptyOmittable(_ v: JSONValue, _ t: SchemaType) -> Bool {
        switch (v, t) {
        case (.object(let o), .map): return o.isEmpty
        case (.array(let a), .array): return a.isEmpty
        default: return false
        }
    }

    /// The current field path as components ("spec", "containers", "[0]"); rendered only for errors.
    private var pathStack: [String] = []

    private var path: String {
        var out = ""
        for c in pathStack {
            if !out.isEmpty && !c.hasPrefix("[") { out += "." }
            out += c
        }
        return out
    }

    private func goType(_ t: SchemaType) -> String {
        switch t {
        case .string, .dateTime: return "string"
        case .integer: return "int32"
        case .integer64: return "int64"
        case .number: return "float64"
        case .boolean: return "bool"
        case .intOrString: return "intstr.IntOrString"
        case .quantity: return "resource.Quantity"
        case .bytes: return "[]uint8"
        case .any: return "interface {}"
        case .ref(let n): return "v1.\(n)"
        case .array(let e): return "[]" + goType(e)
        case .map(let e): return "map[string]" + goType(e)
        }
    }

    /// Records Go's decode error, `json: cannot unmarshal <what> into Go struct field
    /// <Struct>.<field path> of type <type>`: the struct is the innermost one being decoded, the
    /// path names fields only (no list indices or map keys), as encoding/json's error context does.
    private mutating func mismatch(_ value: JSONValue, _ t: SchemaType, _ structName: String, what: String? = nil) {
        guard typeError == nil else { return }
        let jsonType: String
        switch value {
        case .int, .double: jsonType = "number"
        case .bool: jsonType = "bool"
        default: jsonType = value.typeName
        }
        let fields = pathStack.filter { !$0.hasPrefix("[") }.joined(separator: ".")
        let goStruct = structName.hasSuffix("V1") ? String(structName.dropLast(2)) : structName
        let field = fields.isEmpty ? goStruct : "\(goStruct).\(fields)"
        typeError = "json: cannot unmarshal \(what ?? jsonType) into Go struct field \(field) of type \(goType(t))"
    }

    /// An integer that does not fit the Go type is a decode error naming the number.
    private mutating func checkRange(_ value: JSONValue, _ t: SchemaType, _ structName: String) -> Outcome? {
        guard case .integer = t, let i = value.intValue, i < Int64(Int32.min) || i > Int64(Int32.max) else { return nil }
        mismatch(value, t, structName, what: "number \(i)")
        return .drop
    }

    private mutating func walk(_ value: JSONValue, _ type: SchemaType, structName: String) -> Outcome {
        switch type {
        case .any:
            return .same
        case .string:
            if case .string = value { return .same }
        case .dateTime:
            // metav1.Time decodes RFC 3339 only; anything else fails the request as Go's decoder does.
            if case .string(let s) = value {
                if Timestamp.parse(s) == nil && typeError == nil {
                    typeError = "parsing time \"\(s)\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"\(s)\" as \"2006\""
                }
                return .same
            }
        case .integer, .integer64:
            if let outOfRange = checkRange(value, type, structName) { return outOfRange }
            if case .int = value { return .same }
            if case .double(let d) = value, d == d.rounded(), abs(d) < 9e18 { return .replaced(.int(Int64(d))) }
        case .number:
            if case .int = value { return .same }
            if case .double = value { return .same }
        case .boolean:
            if case .bool = value { return .same }
        case .intOrString:
            if case .int = value { return .same }
            if case .string = value { return .same }
        case .bytes:
            if case .string(let s) = value {
                if !Base64.isValid(s) { errors.append(.invalid(path, value, "illegal base64 data")) }
                return .same
            }
        case .quantity:
            switch value {
            case .string(let s):
                if Quantity(s) == nil { errors.append(.invalid(path, value, Quantity.formatMessage)) }
                return .same
            case .int, .double: return .same
            default: break
            }
        case .array(let elem):
            if case .array(let items) = value {
                var out: [JSONValue]?
                for (i, item) in items.enumerated() {
                    pathStack.append("[\(i)]")
                    let r = walk(item, elem, structName: structName)
                    pathStack.removeLast()
                    switch r {
                    case .same: out?.append(item)
                    case .replaced(let w):
                        if out == nil { out = Array(items[..<i]) }
                        out?.append(w)
                    case .drop:
                        if out == nil { out = Array(items[..<i]) }
                    }
                }
                return out.map { .replaced(.array($0)) } ?? .same
            }
        case .map(let elem):
            if case .object(let o) = value {
                var out: [String: JSONValue]?
                for (k, v) in o {
                    pathStack.append("[\(k)]")
                    let r = walk(v, elem, structName: structName)
                    pathStack.removeLast()
                    switch r {
                    case .same: break
                    case .replaced(let w):
                        if out == nil { out = o }
                        out?[k] = w
                    case .drop:
                        if out == nil { out = o }
                        out?[k] = nil
                    }
                }
                return out.map { .replaced(.object($0)) } ?? .same
            }
        case .ref(let name):
            guard let schema = schemas[name] else { return .same }
            if case .object(let o) = value {
                var out: [String: JSONValue]?
                let wasRequired = checkRequired
                // Status is written by controllers; its required markers describe their output.
                if name.hasSuffix("Status") { checkRequired = false }
                for (k, v) in o {
                    pathStack.append(k)
                    defer { pathStack.removeLast() }
                    guard let field = schema.fields[k] else {
                        unknown.append(path)
                        if out == nil { out = o }
                        out?[k] = nil
                        continue
                    }
                    if Self.isEmptyOmittable(v, field.type) {
                        // Go's `omitempty`: an empty map or list is not written back.
                        if out == nil { out = o }
                        out?[k] = nil
                        continue
                    }
                    switch walk(v, field.type, structName: name) {
                    case .same: break
                    case .replaced(let w):
                        if out == nil { out = o }
                        out?[k] = w
                    case .drop:
                        if out == nil { out = o }
                        out?[k] = nil
                    }
                }
                if checkRequired {
                    for fname in schema.fieldOrder where schema.fields[fname]?.required == true && o[fname] == nil {
                        pathStack.append(fname)
                        errors.append(.required(path))
                        pathStack.removeLast()
                    }
                }
                checkRequired = wasRequired
                return out.map { .replaced(.object($0)) } ?? .same
            }
        }
        mismatch(value, type, structName)
        return .drop
    }
}

/// Base64 (standard alphabet, padded) for Secret data, through Foundation; `isValid` first holds
/// input to Go's `StdEncoding` (Foundation alone would take "====").
public enum Base64 {
    public static func isValid(_ s: String) -> Bool {
        let bytes = Array(s.utf8)
        guard bytes.count % 4 == 0 else { return false }
        for (i, b) in bytes.enumerated() {
            let ok = (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || (b >= 48 && b <= 57) || b == 43 || b == 47
            if ok { continue }
            if b == 61 && i >= bytes.count - 2 { continue }
            return false
        }
        return true
    }

    public static func encode(_ data: [UInt8]) -> String { Data(data).base64EncodedString() }

    public static func decode(_ s: String) -> [UInt8]? {
        guard isValid(s) else { return nil }
        return Data(base64Encoded: s).map { Array($0) }
    }
}
