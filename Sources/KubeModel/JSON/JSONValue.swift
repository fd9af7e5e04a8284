/// A JSON document as Kubernetes stores it: objects keep every field the user wrote,
/// integers stay exact (Int64), and serialization sorts keys as the Go encoder does.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public static let emptyObject = JSONValue.object([:])

    public subscript(key: String) -> JSONValue? {
        get {
            if case .object(let o) = self { return o[key] }
            return nil
        }
        set {
            guard case .object(var o) = self else { return }
            self = .null  // drop our reference so `o` is unique and mutates in place
            o[key] = newValue
            self = .object(o)
        }
    }

    /// Follows a path of object keys; nil when any step is missing.
    public subscript(path path: [String]) -> JSONValue? {
        var cur: JSONValue? = self
        for key in path { cur = cur?[key] }
        return cur
    }

    /// Sets a value at a path of object keys, creating intermediate objects.
    public mutating func set(_ path: [String], _ value: JSONValue?) {
        set(path[...], value)
    }

    private mutating func set(_ path: ArraySlice<String>, _ value: JSONValue?) {
        guard let first = path.first else { if let value { self = value }; return }
        guard case .object(var o) = self else { return }
        self = .null  // drop our reference so `o` is unique and mutates in place
        if path.count == 1 {
            o[first] = value
        } else {
            // Mutated in place inside the dictionary's storage: no copy of the child.
            o[first, default: .emptyObject].setCreatingObject(path.dropFirst(), value)
        }
        self = .object(o)
    }

    private mutating func setCreatingObject(_ path: ArraySlice<String>, _ value: JSONValue?) {
        if case .object = self {} else { self = .emptyObject }
        set(path, value)
    }

    public var stringValue: String? { if case .string(let s) = self { return s }; return nil }
    public var boolValue: Bool? { if case .bool(let b) = self { return b }; return nil }
    public var objectValue: [String: JSONValue]? { if case .object(let o) = self { return o }; return nil }
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { return a }; return nil }
    public var intValue: Int64? {
        switch self {
        case .int(let i): return i
        case .double(let d) where d == d.rounded() && abs(d) < 9.0e18: return Int64(d)
        default: return nil
        }
    }
    public var doubleValue: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }
    public var isNull: Bool { if case .null = self { return true }; return false }

    /// The JSON type name used in Kubernetes validation messages.
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .int, .double: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    /// True when a `null` appears anywhere inside (cheap: no allocation).
    public var containsNull: Bool {
        switch self {
        case .null: return true
        case .object(let o): return o.values.contains { $0.containsNull }
        case .array(let a): return a.contains { $0.containsNull }
        default: return false
        }
    }

    /// Drops `null` members recursively, as the API server does when it decodes into Go structs.
    public func droppingNulls() -> JSONValue {
        guard containsNull else { return self }
        return droppingNullsSlow()
    }

    private func droppingNullsSlow() -> JSONValue {
        switch self {
        case .object(let o):
            var out: [String: JSONValue] = [:]
            out.reserveCapacity(o.count)
            for (k, v) in o where !v.isNull { out[k] = v.droppingNullsSlow() }
            return .object(out)
        case .array(let a):
            return .array(a.map { $0.droppingNullsSlow() })
        default:
            return self
        }
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral, ExpressibleByFloatLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        var o: [String: JSONValue] = [:]
        for (k, v) in elements { o[k] = v }
        self = .object(o)
    }
    public init(nilLiteral: ()) { self = .null }
    public init(floatLiteral value: Double) { self = .double(value) }
}
