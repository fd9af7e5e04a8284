/// A field selector (`metadata.name=x,status.phase!=Running`): only `=`, `==` and `!=`.
public struct FieldSelector: Sendable, Equatable {
    public struct Requirement: Sendable, Equatable {
        public let field: String
        public let value: String
        public let negated: Bool
    }
    public var requirements: [Requirement]

    public init(_ requirements: [Requirement] = []) { self.requirements = requirements }

    public var isEmpty: Bool { requirements.isEmpty }

    public static func parse(_ text: String) throws(SelectorError) -> FieldSelector {
        var reqs: [Requirement] = []
        for part in splitUnescaped(text) where !part.isEmpty {
            if let r = part.firstRange(of: "!=") {
                reqs.append(Requirement(field: String(part[..<r.lowerBound]), value: String(part[r.upperBound...]), negated: true))
            } else if let r = part.firstRange(of: "==") {
                reqs.append(Requirement(field: String(part[..<r.lowerBound]), value: String(part[r.upperBound...]), negated: false))
            } else if let r = part.firstRange(of: "=") {
                reqs.append(Requirement(field: String(part[..<r.lowerBound]), value: String(part[r.upperBound...]), negated: false))
            } else {
                throw SelectorError(message: "invalid selector: '\(text)'; can't understand '\(part)'")
            }
        }
        return FieldSelector(reqs)
    }

    private static func splitUnescaped(_ s: String) -> [String] {
        var out: [String] = []
        var cur = ""
        var escaped = false
        for c in s {
            if escaped { cur.append(c); escaped = false; continue }
            if c == "\\" { escaped = true; continue }
            if c == "," { out.append(cur); cur = ""; continue }
            cur.append(c)
        }
        out.append(cur)
        return out
    }

    /// `fields` maps each supported field to the object's value (see `FieldSelectorFields`).
    public func matches(_ fields: [String: String]) -> Bool {
        requirements.allSatisfy { r in
            let v = fields[r.field] ?? ""
            return r.negated ? v != r.value : v == r.value
        }
    }
}
