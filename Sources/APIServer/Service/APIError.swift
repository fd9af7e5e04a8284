import KubeModel

/// An API failure, rendered as a `kind: Status` body with Kubernetes' reason and code.
public struct APIError: Error, Sendable, CustomStringConvertible {
    public let code: Int
    public let reason: String
    public let message: String
    public let details: JSONValue?
    /// `metadata.continue` of the Status: where a list whose snapshot is gone may go on from.
    public var continueToken: String?

    public init(code: Int, reason: String, message: String, details: JSONValue? = nil) {
        self.code = code
        self.reason = reason
        self.message = message
        self.details = details
    }

    public var description: String { message }

    public var status: JSONValue {
        var s: JSONValue = [
            "kind": "Status", "apiVersion": "v1", "metadata": continueToken.map { ["continue": .string($0)] } ?? .emptyObject, "status": "Failure",
            "message": .string(message), "code": .int(Int64(code)),
        ]
        if !reason.isEmpty { s["reason"] = .string(reason) }
        if let details { s["details"] = details }
        return s
    }

    static func details(_ info: ResourceInfo?, _ name: String) -> JSONValue {
        var d: JSONValue = ["name": .string(name)]
        if let info {
            if !info.group.isEmpty { d["group"] = .string(info.group) }
            d["kind"] = .string(info.plural)
        }
        return d
    }

    public static func notFound(_ info: ResourceInfo, _ name: String) -> APIError {
        APIError(code: 404, reason: "NotFound", message: "\(info.qualifiedPlural) \"\(name)\" not found", details: details(info, name))
    }

    public static func namespaceNotFound(_ name: String) -> APIError {
        APIError(code: 404, reason: "NotFound", message: "namespaces \"\(name)\" not found", details: ["name": .string(name), "kind": "namespaces"])
    }

    public static func alreadyExists(_ info: ResourceInfo, _ name: String) -> APIError {
        APIError(code: 409, reason: "AlreadyExists", message: "\(info.qualifiedPlural) \"\(name)\" already exists", details: details(info, name))
    }

    public static func conflict(_ info: ResourceInfo, _ name: String, _ why: String) -> APIError {
        APIError(code: 409, reason: "Conflict", message: "Operation cannot be fulfilled on \(info.qualifiedPlural) \"\(name)\": \(why)", details: details(info, name))
    }

    /// A failed storage precondition, worded as InterpretUpdateError wraps etcd3's StorageError.
    public static func preconditionFailed(_ info: ResourceInfo, namespace: String?, name: String, _ why: String) -> APIError {
        let key = "/registry/" + storagePrefix(info) + (info.namespaced ? "/\(namespace ?? "")" : "") + "/\(name)"
        return conflict(info, name, "StorageError: invalid object, Code: 4, Key: \(key), ResourceVersion: 0, AdditionalErrorMsg: \(why)")
    }

    /// The etcd key prefix of a resource: its plural, but for the few kube-apiserver stores under
    /// older names.
    static func storagePrefix(_ info: ResourceInfo) -> String {
        switch info.plural {
        case "services": return "services/specs"
        case "nodes": return "minions"
        case "ingresses": return "ingress"
        case "endpoints": return "services/endpoints"
        default: return info.plural
        }
    }

    public static func modified(_ info: ResourceInfo, _ name: String) -> APIError {
        conflict(info, name, "the object has been modified; please apply your changes to the latest version and try again")
    }

    public static func invalid(_ info: ResourceInfo, _ name: String, _ errors: [FieldError]) -> APIError {
        invalid(kind: info.kind, group: info.group, name: name, errors)
    }

    /// errors.NewInvalid for a group and kind: 422 with one cause per field error.
    public static func invalid(kind: String, group: String, name: String, _ errors: [FieldError]) -> APIError {
        let qualified = group.isEmpty ? kind : "\(kind).\(group)"
        let list = errors.count == 1 ? errors[0].text : "[" + errors.map(\.text).joined(separator: ", ") + "]"
        var d: JSONValue = ["kind": .string(kind)]
        if !name.isEmpty { d["name"] = .string(name) }  // StatusDetails.name is omitempty
        if !group.isEmpty { d["group"] = .string(group) }
        d["causes"] = .array(errors.map { ["reason": .string($0.kind.rawValue), "message": .string($0.message), "field": .string($0.field)] })
        return APIError(code: 422, reason: "Invalid", message: "\(qualified) \"\(name)\" is invalid: \(list)", details: d)
    }

    public static func badRequest(_ message: String) -> APIError {
        APIError(code: 400, reason: "BadRequest", message: message)
    }

    public static func forbidden(_ message: String, _ info: ResourceInfo? = nil, _ name: String = "") -> APIError {
        APIError(code: 403, reason: "Forbidden", message: message, details: info.map { details($0, name) })
    }

    public static func methodNotAllowed(_ message: String = "the server does not allow this method on the requested resource") -> APIError {
        APIError(code: 405, reason: "MethodNotAllowed", message: message)
    }

    public static func unsupportedMediaType(_ contentType: String) -> APIError {
        APIError(code: 415, reason: "UnsupportedMediaType", message: "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json")
    }

    public static func tooLarge() -> APIError {
        APIError(code: 413, reason: "RequestEntityTooLarge", message: "Request entity too large: limit is 3145728")
    }

    public static func expired(_ message: String) -> APIError {
        APIError(code: 410, reason: "Expired", message: message)
    }

    /// storage.NewTooLargeResourceVersionError: a revision the store has not reached.
    public static func resourceVersionTooLarge(_ requested: Int64, current: Int64) -> APIError {
        APIError(code: 504, reason: "Timeout", message: "Timeout: Too large resource version: \(requested), current: \(current)",
                 details: ["causes": [["reason": "ResourceVersionTooLarge", "message": "Too large resource version"]]])
    }

    public static func resourceNotFound() -> APIError {
        APIError(code: 404, reason: "NotFound", message: "the server could not find the requested resource")
    }

    public static func unauthorized() -> APIError {
        APIError(code: 401, reason: "Unauthorized", message: "Unauthorized")
    }

    public static func internalError(_ message: String) -> APIError {
        APIError(code: 500, reason: "InternalError", message: "Internal error occurred: \(message)")
    }
}
