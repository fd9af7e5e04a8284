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

    /// Parses as apimachinery's `fields.ParseSelector`: terms split at unescaped commas, each at
    /// its first operator, and values unescaped (`\,`, `\=`, `\\`; a bare `,` or `=` is an error).
    public static func parse(_ text: String) throws(SelectorError) -> FieldSelector {
        var reqs: [Requirement] = []
        for part in splitTerms(text) where !part.isEmpty {
            guard let (field, op, rhs) = splitTerm(part) else {
                throw SelectorError(message: "invalid selector: '\(text)'; can't understand '\(part)'")
            }
            reqs.append(Requirement(field: field, value: try unescape(rhs), negated: op == "!="))
        }
        return FieldSelector(reqs)
    }

    /// The terms between unescaped commas, escapes kept for `unescape`.
    private static func splitTerms(_ s: String) -> [String] {
        var out: [String] = []
        var cur = ""
        var escaped = false
        for c in s {
            if escaped {
                cur.append(c)
                escaped = false
            } else if c == "\\" {
                cur.append(c)
                escaped = true
            } else if c == "," {
                out.append(cur)
                cur = ""
            } else {
                cur.append(c)
            }
        }
        out.append(cur)
        return out
    }

    /// The field, operator and value of a term, split at the first operator it holds.
    private static func splitTerm(_ term: String) -> (String, String, String)? {
        var i = term.startIndex
        while i < term.endIndex {
            for op in ["!=", "==", "="] where term[i...].hasPrefix(op) {
                return (String(term[..<i]), op, String(term[term.index(i, offsetBy: op.count)...]))
            }
            i = term.index(after: i)
        }
        return nil
    }

    private static func unescape(_ s: String) throws(SelectorError) -> String {
        var out = ""
        var escaped = false
        for c in s {
            if escaped {
                guard c == "\\" || c == "," || c == "=" else {
                    throw SelectorError(message: "invalid field selector: invalid escape sequence: \\\(c)")
                }
                out.append(c)
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else if c == "," || c == "=" {
                throw SelectorError(message: "invalid field selector: unescaped character in value: \(c)")
            } else {
                out.append(c)
            }
        }
        if escaped { throw SelectorError(message: "invalid field selector: invalid escape sequence: \\") }
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
