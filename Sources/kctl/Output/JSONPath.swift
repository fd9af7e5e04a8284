import KubeModel

/// kubectl's JSONPath templates: `{.metadata.name}`, `{.items[*].spec.replicas}`, `{.a[0]}`,
/// `{.a['k.with.dots']}`, filters `[?(@.type=="Ready")]`, `{range .items[*]}…{end}`, `{"\n"}`.
/// Missing fields print nothing, as `kubectl get -o jsonpath` does.
struct JSONPath {
    indirect enum Node {
        case text(String)
        case path([Step])
        case range([Step], [Node])
    }

    enum Step: Sendable {
        case field(String)
        case index(Int)
        case wildcard
        case slice(Int?, Int?)
        case filter(path: [Step], op: String, value: String)
        case recursive(String)
    }

    let nodes: [Node]

    init(_ template: String) throws {
        var parser = Parser(chars: Array(template))
        nodes = try parser.parseNodes(untilEnd: false)
    }

    func render(_ doc: JSONValue) throws -> String { Self.render(nodes, doc) }

    static func render(_ nodes: [Node], _ doc: JSONValue) -> String {
        var out = ""
        for n in nodes {
            switch n {
            case .text(let t): out += t
            case .path(let steps):
                out += evaluate(steps, [doc]).map(text).joined(separator: " ")
            case .range(let steps, let body):
                for item in evaluate(steps, [doc]) { out += render(body, item) }
            }
        }
        return out
    }

    static func text(_ v: JSONValue) -> String {
        switch v {
        case .string(let s): return s
        case .null: return ""
        default: return v.description
        }
    }

    static func evaluate(_ steps: [Step], _ input: [JSONValue]) -> [JSONValue] {
        var current = input
        for step in steps {
            var next: [JSONValue] = []
            for v in current {
                switch step {
                case .field(let f):
                    if let x = v[f] { next.append(x) }
                case .index(let i):
                    if let a = v.arrayValue {
                        let j = i < 0 ? a.count + i : i
                        if j >= 0 && j < a.count { next.append(a[j]) }
                    }
                case .wildcard:
                    if let a = v.arrayValue { next += a } else if let o = v.objectValue { next += o.keys.sorted().compactMap { o[$0] } }
                case .slice(let from, let to):
                    if let a = v.arrayValue {
                        let lo = max(0, min(a.count, from.map { $0 < 0 ? a.count + $0 : $0 } ?? 0))
                        let hi = max(lo, min(a.count, to.map { $0 < 0 ? a.count + $0 : $0 } ?? a.count))
                        next += a[lo..<hi]
                    }
                case .filter(let path, let op, let value):
                    // Items without the field are skipped whatever the operator, as in kubectl.
                    next += (v.arrayValue ?? []).filter { item in
                        guard let got = evaluate(path, [item]).first.map(text) else { return false }
                        return compare(got, op, value)
                    }
                case .recursive(let f):
                    next += collect(f, v)
                }
            }
            current = next
        }
        return current
    }

    /// Numbers compare as numbers, everything else as text.
    static func compare(_ got: String, _ op: String, _ value: String) -> Bool {
        if op == "exists" { return true }
        if let a = Double(got), let b = Double(value) { return holds(a, op, b) }
        return holds(got, op, value)
    }

    static func holds<T: Comparable>(_ a: T, _ op: String, _ b: T) -> Bool {
        switch op {
        case "==": return a == b
        case "!=": return a != b
        case "<": return a < b
        case ">": return a > b
        case "<=": return a <= b
        default: return a >= b
        }
    }

    static func collect(_ field: String, _ v: JSONValue) -> [JSONValue] {
        var out: [JSONValue] = []
        if let x = v[field] { out.append(x) }
        switch v {
        case .object(let o): for k in o.keys.sorted() { out += collect(field, o[k] ?? .null) }
        case .array(let a): for x in a { out += collect(field, x) }
        default: break
        }
        return out
    }

    struct Parser {
        let chars: [Character]
        var pos = 0

        var template: String { String(chars) }
        func fail(_ m: String) -> KctlError { KctlError("error parsing jsonpath \(template), \(m)") }

        /// Text and actions up to the end, or up to `{end}` inside a range. A range that is never
        /// ended runs to the end of the template, as in kubectl.
        mutating func parseNodes(untilEnd: Bool) throws -> [Node] {
            var nodes: [Node] = []
            var text = ""
            while pos < chars.count {
                let c = chars[pos]
                if c != "{" {
                    text.append(c)
                    pos += 1
                    continue
                }
                if !text.isEmpty { nodes.append(.text(text)); text = "" }
                pos += 1
                guard let close = closingBrace(from: pos) else { throw fail("unclosed action") }
                let inner = String(chars[pos..<close]).trimmingSpaces()
                pos = close + 1
                if inner == "end" {
                    if untilEnd { return nodes }
                    throw KctlError("error executing jsonpath \"\(template)\": Error executing template: not in range, nothing to end.")
                }
                if inner.hasPrefix("range ") {
                    let steps = try Self.steps(String(inner.dropFirst(6)), template: template)
                    let body = try parseNodes(untilEnd: true)
                    nodes.append(.range(steps, body))
                } else if inner.hasPrefix("\"") && inner.hasSuffix("\"") && inner.count >= 2 {
                    nodes.append(.text(Self.unquote(String(inner.dropFirst().dropLast()))))
                } else if inner.hasPrefix("'") && inner.hasSuffix("'") && inner.count >= 2 {
                    nodes.append(.text(String(inner.dropFirst().dropLast())))
                } else {
                    nodes.append(.path(try Self.steps(inner, template: template)))
                }
            }
            if !text.isEmpty { nodes.append(.text(text)) }
            return nodes
        }

        /// The `}` closing the action that starts at `from`, skipping quoted text (`{"}"}`).
        func closingBrace(from: Int) -> Int? {
            var quote: Character?
            var i = from
            while i < chars.count {
                let c = chars[i]
                if let q = quote {
                    if c == "\\" { i += 1 } else if c == q { quote = nil }
                } else if c == "\"" || c == "'" {
                    quote = c
                } else if c == "}" {
                    return i
                }
                i += 1
            }
            return nil
        }

        /// Go's strconv.Unquote for the escapes templates use (`{"\n"}`, `{"\t"}`, `{"a\"b"}`).
        static func unquote(_ s: String) -> String {
            var out = ""
            var escaped = false
            for c in s {
                if escaped {
                    switch c {
                    case "n": out.append("\n")
                    case "t": out.append("\t")
                    case "r": out.append("\r")
                    default: out.append(c)
                    }
                    escaped = false
                } else if c == "\\" {
                    escaped = true
                } else {
                    out.append(c)
                }
            }
            return out
        }

        static let comparisons = ["<=", ">=", "==", "!=", "<", ">"]

        static func steps(_ expr: String, template: String? = nil) throws -> [Step] {
            func fail(_ m: String) -> KctlError { KctlError("error parsing jsonpath \(template ?? expr), \(m)") }
            var steps: [Step] = []
            let c = Array(expr.hasPrefix("$") ? String(expr.dropFirst()) : expr)
            var i = 0
            while i < c.count {
                if c[i] == "." {
                    if i + 1 < c.count && c[i + 1] == "." {
                        i += 2
                        steps.append(.recursive(name(c, &i)))
                        continue
                    }
                    i += 1
                    let field = name(c, &i)
                    if field == "*" { steps.append(.wildcard) } else if !field.isEmpty { steps.append(.field(field)) }
                } else if c[i] == "[" {
                    let isFilter = i + 1 < c.count && c[i + 1] == "?"
                    guard let close = c[i...].firstIndex(of: "]") else { throw fail(isFilter ? "unterminated filter" : "unterminated array") }
                    var inner = String(c[(i + 1)..<close]).trimmingSpaces()
                    i = close + 1
                    if inner == "*" { steps.append(.wildcard); continue }
                    if isFilter {
                        guard inner.hasPrefix("?(") && inner.hasSuffix(")") else { throw fail("unterminated filter") }
                        inner = String(inner.dropFirst(2).dropLast())
                        steps.append(try filter(inner, fail))
                        continue
                    }
                    if (inner.hasPrefix("'") || inner.hasPrefix("\"")) && inner.count >= 2 {
                        // As kubectl does, `['a.b']` is read as `.a.b`: dots in a key need `\.`.
                        steps += try Self.steps("." + String(inner.dropFirst().dropLast()), template: template)
                        continue
                    }
                    if inner.contains(":") {
                        let parts = inner.split(separator: ":", omittingEmptySubsequences: false).map { Int(String($0).trimmingSpaces()) }
                        steps.append(.slice(parts[0], parts.count > 1 ? parts[1] : nil))
                        continue
                    }
                    guard let n = Int(inner) else { throw fail("invalid array index \(inner)") }
                    steps.append(.index(n))
                } else {
                    let field = name(c, &i)
                    if !field.isEmpty { steps.append(.field(field)) }
                }
            }
            return steps
        }

        /// `@.status=="True"`, `@.port>80`, or `@.value` (the field exists).
        static func filter(_ inner: String, _ fail: (String) -> KctlError) throws -> Step {
            for op in comparisons {
                guard let r = inner.firstRange(of: op) else { continue }
                let lhs = String(inner[..<r.lowerBound]).trimmingSpaces()
                var rhs = String(inner[r.upperBound...]).trimmingSpaces()
                if (rhs.hasPrefix("\"") || rhs.hasPrefix("'")) && rhs.count >= 2 { rhs = String(rhs.dropFirst().dropLast()) }
                return .filter(path: try steps(String(lhs.dropFirst())), op: op, value: rhs)
            }
            return .filter(path: try steps(String(inner.dropFirst())), op: "exists", value: "")
        }

        /// A field name up to the next `.` or `[`; `\.` is a dot inside the name
        /// (`{.metadata.annotations.deployment\.kubernetes\.io/revision}`).
        static func name(_ c: [Character], _ i: inout Int) -> String {
            var name = ""
            while i < c.count && c[i] != "." && c[i] != "[" {
                if c[i] == "\\", i + 1 < c.count, c[i + 1] == "." { i += 1 }
                name.append(c[i])
                i += 1
            }
            return name
        }
    }
}

/// `-o custom-columns=NAME:.metadata.name,IMAGE:.spec.containers[*].image`.
struct CustomColumns {
    let columns: [(String, [JSONPath.Step])]

    init(_ spec: String) throws {
        columns = try spec.split(separator: ",").map { col in
            let parts = col.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2 else {
                throw KctlError("unexpected custom-columns spec: \(col), expected <header>:<json-path-expr>")
            }
            var path = parts[1]
            if path.hasPrefix("{") && path.hasSuffix("}") { path = String(path.dropFirst().dropLast()) }
            if !path.hasPrefix(".") && !path.hasPrefix("[") { path = "." + path }
            return (parts[0], try JSONPath.Parser.steps(path))
        }
    }

    func render(_ objects: [JSONValue]) throws -> String {
        var t = TableWriter()
        t.add(columns.map(\.0))
        for o in objects {
            t.add(columns.map { _, steps in
                let v = JSONPath.evaluate(steps, [o])
                return v.isEmpty ? "<none>" : v.map(JSONPath.text).joined(separator: ",")
            })
        }
        return t.render()
    }
}
