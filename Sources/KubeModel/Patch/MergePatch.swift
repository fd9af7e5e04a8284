/// RFC 7386 JSON merge patch: objects merge recursively, `null` deletes, anything else replaces.
public enum MergePatch {
    public static func apply(_ patch: JSONValue, to target: JSONValue?) -> JSONValue {
        guard case .object(let p) = patch else { return patch }
        var result: [String: JSONValue] = target?.objectValue ?? [:]
        for (k, v) in p {
            if v.isNull {
                result[k] = nil
            } else {
                result[k] = apply(v, to: result[k])
            }
        }
        return .object(result)
    }
}

/// A patch document that cannot be applied; the server answers 422 (or 400 when unparsable).
public struct PatchError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
