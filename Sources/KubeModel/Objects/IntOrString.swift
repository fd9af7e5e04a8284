/// A util/intstr IntOrString as written: a Service's `targetPort`, a probe's `port`, an
/// Ingress backend's port number or name.
public enum IntOrString: Sendable, Equatable, CustomStringConvertible {
    case int(Int64)
    case string(String)

    /// nil for any other JSON value.
    public init?(_ v: JSONValue) {
        if let i = v.intValue {
            self = .int(i)
        } else if let s = v.stringValue {
            self = .string(s)
        } else {
            return nil
        }
    }

    /// As written: `8080` or `http`.
    public var description: String {
        switch self {
        case .int(let i): return String(i)
        case .string(let s): return s
        }
    }
}
