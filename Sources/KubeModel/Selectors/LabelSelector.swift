/// A parse failure of a label or field selector, worded as apimachinery's parser words it.
public struct SelectorError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

/// One requirement of a label selector.
public struct LabelRequirement: Sendable, Equatable {
    public enum Operator: String, Sendable {
        case equals = "=", notEquals = "!=", `in` = "in", notIn = "notin", exists = "exists",
            doesNotExist = "!", greaterThan = "gt", lessThan = "lt"
    }
    public let key: String
    public let op: Operator
    public let values: [String]

    public init(key: String, op: Operator, values: [String]) {
        self.key = key
        self.op = op
        self.values = values
    }

    public func matches(_ labels: [String: String]) -> Bool { matches(value: labels[key]) }

    /// Against the label's value (nil when the object has no such label).
    public func matches(value: String?) -> Bool {
        switch op {
        case .equals, .in: return value.map { values.contains($0) } ?? false
        case .notEquals, .notIn: return value.map { !values.contains($0) } ?? true
        case .exists: return value != nil
        case .doesNotExist: return value == nil
        case .greaterThan:
            guard let v = value.flatMap({ Int64($0) }), let w = values.first.flatMap({ Int64($0) }) else { return false }
            return v > w
        case .lessThan:
            guard let v = value.flatMap({ Int64($0) }), let w = values.first.flatMap({ Int64($0) }) else { return false }
            return v < w
        }
    }

    /// The selector string form ("app=web", "tier in (a,b)").
    public var string: String {
        switch op {
        case .equals: return "\(key)=\(values.first ?? "")"
        case .notEquals: return "\(key)!=\(values.first ?? "")"
        case .in: return "\(key) in (\(values.sorted().joined(separator: ",")))"
        case .notIn: return "\(key) notin (\(values.sorted().joined(separator: ",")))"
        case .exists: return key
        case .doesNotExist: return "!\(key)"
        case .greaterThan: return "\(key)>\(values.first ?? "")"
        case .lessThan: return "\(key)<\(values.first ?? "")"
        }
    }
}

/// A label selector: all requirements must match. Empty matches everything.
public struct LabelSelector: Sendable, Equatable {
    public var requirements: [LabelRequirement]

    public init(_ requirements: [LabelRequirement] = []) { self.requirements = requirements }

    public var isEmpty: Bool { requirements.isEmpty }

    public func matches(_ labels: [String: String]) -> Bool {
        requirements.allSatisfy { $0.matches(labels) }
    }

    /// Against an object's `metadata.labels`, read in place (controllers test thousands of
    /// pods per sync; building a dictionary for each costs more than the test).
    public func matches(object: JSONValue) -> Bool {
        let labels = object[path: ["metadata", "labels"]]?.objectValue
        return requirements.allSatisfy { $0.matches(value: labels?[$0.key]?.stringValue) }
    }

    public var string: String { requirements.map(\.string).joined(separator: ",") }

    /// Parses the query-string syntax (`a=b,c!=d,e in (f,g),!h`).
    public static func parse(_ text: String) throws(SelectorError) -> LabelSelector {
        var lexer = SelectorLexer(text)
        var reqs: [LabelRequirement] = []
        if text.allSatisfy({ $0 == " " }) { return LabelSelector() }
        while true {
            reqs.append(try lexer.requirement())
            switch lexer.next() {
            case .end: return LabelSelector(reqs.sorted { $0.key < $1.key })
            case .comma: continue
            case let t: throw lexer.failure("found '\(t.text)', expected: ',' or 'end of string'")
            }
        }
    }

    /// Builds a selector from the structured form (`matchLabels`, `matchExpressions`) of specs.
    public static func from(_ json: JSONValue?) throws(SelectorError) -> LabelSelector {
        guard let json, case .object(let o) = json else { return LabelSelector() }
        var reqs: [LabelRequirement] = []
        for (k, v) in o["matchLabels"]?.objectValue ?? [:] {
            reqs.append(LabelRequirement(key: k, op: .equals, values: [v.stringValue ?? ""]))
        }
        for e in o["matchExpressions"]?.arrayValue ?? [] {
            let key = e["key"]?.stringValue ?? ""
            let values = (e["values"]?.arrayValue ?? []).compactMap(\.stringValue)
            switch e["operator"]?.stringValue ?? "" {
            case "In": reqs.append(LabelRequirement(key: key, op: .in, values: values))
            case "NotIn": reqs.append(LabelRequirement(key: key, op: .notIn, values: values))
            case "Exists": reqs.append(LabelRequirement(key: key, op: .exists, values: []))
            case "DoesNotExist": reqs.append(LabelRequirement(key: key, op: .doesNotExist, values: []))
            case let op: throw SelectorError(message: "\"\(op)\" is not a valid label selector operator")
            }
        }
        return LabelSelector(reqs.sorted { $0.key < $1.key })
    }
}

/// Labels of an object's metadata as a plain dictionary.
public func labelsOf(_ object: JSONValue) -> [String: String] {
    var out: [String: String] = [:]
    for (k, v) in object[path: ["metadata", "labels"]]?.objectValue ?? [:] { out[k] = v.stringValue ?? "" }
    return out
}
