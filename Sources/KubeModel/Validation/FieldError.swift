/// One validation failure at a field path, worded like apimachinery's field.Error.
public struct FieldError: Sendable, Hashable, Error {
    public enum Kind: String, Sendable, Hashable {
        case invalid = "FieldValueInvalid"
        case required = "FieldValueRequired"
        case notSupported = "FieldValueNotSupported"
        case forbidden = "FieldValueForbidden"
        case duplicate = "FieldValueDuplicate"
        case tooLong = "FieldValueTooLong"
    }
    public let kind: Kind
    public let field: String
    /// The bad value rendered as Go would print it (strings quoted), when the message shows one.
    public let value: String?
    public let detail: String

    public static func invalid(_ field: String, _ value: JSONValue, _ detail: String) -> FieldError {
        FieldError(kind: .invalid, field: field, value: goRepr(value), detail: detail)
    }
    public static func required(_ field: String, _ detail: String = "") -> FieldError {
        FieldError(kind: .required, field: field, value: nil, detail: detail)
    }
    public static func forbidden(_ field: String, _ detail: String) -> FieldError {
        FieldError(kind: .forbidden, field: field, value: nil, detail: detail)
    }
    public static func notSupported(_ field: String, _ value: JSONValue, _ supported: [String]) -> FieldError {
        FieldError(
            kind: .notSupported, field: field, value: goRepr(value),
            detail: "supported values: " + supported.map { "\"\($0)\"" }.joined(separator: ", "))
    }
    /// Too long, without the value (field.TooLong); `field` is "[]" for the whole object.
    public static func tooLong(_ field: String, maxBytes: Int) -> FieldError {
        FieldError(kind: .tooLong, field: field, value: nil, detail: "may not be more than \(maxBytes) bytes")
    }
    public static func duplicate(_ field: String, _ value: JSONValue) -> FieldError {
        FieldError(kind: .duplicate, field: field, value: goRepr(value), detail: "")
    }

    /// The cause message, e.g. `Invalid value: "Bad_Name": a lowercase RFC 1123 …`.
    public var message: String {
        let head: String
        switch kind {
        case .invalid: head = "Invalid value"
        case .required: head = "Required value"
        case .notSupported: head = "Unsupported value"
        case .forbidden: head = "Forbidden"
        case .duplicate: head = "Duplicate value"
        case .tooLong: head = "Too long"
        }
        var parts = [head]
        if let value { parts.append(value) }
        if !detail.isEmpty { parts.append(detail) }
        return parts.joined(separator: ": ")
    }

    /// The full line, `field: message`.
    public var text: String { "\(field): \(message)" }

    static func goRepr(_ v: JSONValue) -> String {
        switch v {
        case .string(let s): return "\"\(s)\""
        case .int, .double, .bool: return v.description
        case .object, .array: return v.description
        case .null: return "null"
        }
    }
}

/// A request body that cannot be decoded into the kind's schema (unknown field, wrong type):
/// kube-apiserver answers these with 400 BadRequest before validation runs.
public struct DecodeError: Error, Sendable {
    public let message: String
}
