/// Tokenizer and requirement parser for label selector strings, following apimachinery's lexer.
struct SelectorLexer {
    enum Token: Equatable {
        case identifier(String), comma, equals, doubleEquals, notEquals, bang, gt, lt, open, close, `in`, notIn, end

        var text: String {
            switch self {
            case .identifier(let s): return s
            case .comma: return ","
            case .equals: return "="
            case .doubleEquals: return "=="
            case .notEquals: return "!="
            case .bang: return "!"
            case .gt: return ">"
            case .lt: return "<"
            case .open: return "("
            case .close: return ")"
            case .in: return "in"
            case .notIn: return "notin"
            case .end: return "end of string"
            }
        }
    }

    private let source: String
    private let chars: [Character]
    private var pos = 0
    private var peeked: Token?

    init(_ s: String) {
        source = s
        chars = Array(s)
    }

    func failure(_ m: String) -> SelectorError {
        SelectorError(message: "unable to parse requirement: \(m)")
    }

    mutating func peek() -> Token {
        if let p = peeked { return p }
        let t = scan()
        peeked = t
        return t
    }

    mutating func next() -> Token {
        if let p = peeked { peeked = nil; return p }
        return scan()
    }

    private mutating func scan() -> Token {
        while pos < chars.count, chars[pos].isWhitespace { pos += 1 }
        guard pos < chars.count else { return .end }
        let c = chars[pos]
        switch c {
        case ",": pos += 1; return .comma
        case "(": pos += 1; return .open
        case ")": pos += 1; return .close
        case ">": pos += 1; return .gt
        case "<": pos += 1; return .lt
        case "=":
            pos += 1
            if pos < chars.count, chars[pos] == "=" { pos += 1; return .doubleEquals }
            return .equals
        case "!":
            pos += 1
            if pos < chars.count, chars[pos] == "=" { pos += 1; return .notEquals }
            return .bang
        default:
            var s = ""
            while pos < chars.count, !chars[pos].isWhitespace, !",()=!<>".contains(chars[pos]) {
                s.append(chars[pos])
                pos += 1
            }
            if s == "in" { return .in }
            if s == "notin" { return .notIn }
            return .identifier(s)
        }
    }

    mutating func requirement() throws(SelectorError) -> LabelRequirement {
        var negate = false
        if peek() == .bang { _ = next(); negate = true }
        guard case .identifier(let key) = next() else {
            throw failure("found '\(peekText())', expected: identifier")
        }
        try validateKey(key)
        if negate { return LabelRequirement(key: key, op: .doesNotExist, values: []) }
        switch peek() {
        case .end, .comma: return LabelRequirement(key: key, op: .exists, values: [])
        default: break
        }
        let opToken = next()
        let op: LabelRequirement.Operator
        switch opToken {
        case .equals, .doubleEquals: op = .equals
        case .notEquals: op = .notEquals
        case .in: op = .in
        case .notIn: op = .notIn
        case .gt: op = .greaterThan
        case .lt: op = .lessThan
        default:
            throw failure("found '\(opToken.text)', expected: in, notin, =, ==, !=, gt, lt")
        }
        if op == .in || op == .notIn {
            guard next() == .open else { throw failure("found '\(peekText())', expected: '('") }
            var values: [String] = []
            while true {
                switch next() {
                case .identifier(let v):
                    try validateValue(v)
                    values.append(v)
                    guard peek() == .comma || peek() == .close else { throw failure("found '\(peekText())', expected: ',' or ')'") }
                case .comma: continue
                // "()" is one empty value, as apimachinery reads it.
                case .close: return LabelRequirement(key: key, op: op, values: values.isEmpty ? [""] : values)
                case let t: throw failure("found '\(t.text)', expected: ',', ')' or identifier")
                }
            }
        }
        switch peek() {
        case .identifier(let v):
            _ = next()
            if op == .greaterThan || op == .lessThan, Int64(v) == nil {
                throw failure("for 'Gt', 'Lt' operators, the value must be an integer")
            }
            try validateValue(v)
            return LabelRequirement(key: key, op: op, values: [v])
        case .end, .comma:
            if op == .greaterThan || op == .lessThan { throw failure("for 'Gt', 'Lt' operators, the value must be an integer") }
            return LabelRequirement(key: key, op: op, values: [""])
        case let t:
            throw failure("found '\(t.text)', expected: identifier")
        }
    }

    private mutating func peekText() -> String { peek().text }

    private func validateKey(_ key: String) throws(SelectorError) {
        if let problem = Naming.qualifiedNameProblem(key) {
            throw SelectorError(message: "unable to parse requirement: values[0][\(key)]: Invalid value: \"\(key)\": \(problem)")
        }
    }

    private func validateValue(_ v: String) throws(SelectorError) {
        if let problem = Naming.labelValueProblem(v) {
            throw SelectorError(message: "unable to parse requirement: values[0][\(v)]: Invalid value: \"\(v)\": \(problem)")
        }
    }
}
