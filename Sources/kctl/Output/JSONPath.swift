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

    enum Step {
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
                    for item in v.arrayValue ?? [] {
                        let got = evaluate(path, [item]).first.map(text)
                        switch op {
                        case "==": if got == value { next.append(item) }
                        case "!=": if got != value { next.append(item) }
                        default: if got != nil { next.append(item) }
                        }
                    }
                case .recursive(let f):
                    next += collect(f, v)
                }
            }
            current = next
        }
        return current
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

        func fail(_ m: String) -> KctlError { KctlError("error parsing jsonpath \(String(chars)), \(m)") }

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
                guard let close = chars[pos...].firstIndex(of: "}") else { throw fail("unclosed action") }
                let inner = String(chars[pos..<close]).trimmingSpaces()
                pos = close + 1
                if inner == "end" {
                    if untilEnd { return nodes }
                    throw fail("not in range, nothing to end")
                }
                if inner.hasPrefix("range ") {
                    let steps = try Self.steps(String(inner.dropFirst(6)))
                    let body = try parseNodes(untilEnd: true)
                    nodes.append(.range(steps, body))
                } else if inner.hasPrefix("\"") && inner.hasSuffix("\"") && inner.count >= 2 {
                    nodes.append(.text(Self.unescape(String(inner.dropFirst().dropLast()))))
                } else if inner.hasPrefix("'") && inner.hasSuffix("'") && inner.count >= 2 {
                    nodes.append(.text(String(inner.dropFirst().dropLast())))
                } else {
                    nodes.append(.path(try Self.steps(inner)))
                }
            }
            if !text.isEmpty { nodes.append(.text(text)) }
            if untilEnd { throw fail("unclosed range") }
            return nodes
        }

        static func unescape(_ s: String) -> String {
            s.replacingAll("\\n", with: "\n").replacingAll("\\t", with: "\t").replacingAll("\\r", with: "\r")
        }

        static func steps(_ expr: String) throws -> [Step] {
            var steps: [Step] = []
            let c = Array(expr.hasPrefix("$") ? String(expr.dropFirst()) : expr)
            var i = 0
            while i < c.count {
                if c[i] == "." {
                    if i + 1 < c.count && c[i + 1] == "." {
                        i += 2
                        var name = ""
                        while i < c.count && c[i] != "." && c[i] != "[" { name.append(c[i]); i += 1 }
                        steps.append(.recursive(name))
                        continue
                    }
                    i += 1
                    var name = ""
                    while i < c.count && c[i] != "." && c[i] != "[" { name.append(c[i]); i += 1 }
                    if name == "*" { steps.append(.wildcard) } else if !name.isEmpty { steps.append(.field(name)) }
                } else if c[i] == "[" {
                    guard let close = c[i...].firstIndex(of: "]") else { throw KctlError("error parsing jsonpath \(expr), unterminated array") }
                    var inner = String(c[(i + 1)..<close]).trimmingSpaces()
                    i = close + 1
                    if inner == "*" { steps.append(.wildcard); continue }
                    if inner.hasPrefix("?(") && inner.hasSuffix(")") {
                        inner = String(inner.dropFirst(2).dropLast())
                        for op in ["==", "!="] {
                            if let r = inner.firstRange(of: op) {
                                let lhs = String(inner[..<r.lowerBound]).trimmingSpaces()
                                var rhs = String(inner[r.upperBound...]).trimmingSpaces()
                                if (rhs.hasPrefix("\"") || rhs.hasPrefix("'")) && rhs.count >= 2 { rhs = String(rhs.dropFirst().dropLast()) }
                                steps.append(.filter(path: try Self.steps(String(lhs.dropFirst())), op: op, value: rhs))
                                break
                            }
                        }
                        if case .filter? = steps.last {} else {
                            steps.append(.filter(path: try Self.steps(String(inner.dropFirst())), op: "exists", value: ""))
                        }
                        continue
                    }
                    if (inner.hasPrefix("'") || inner.hasPrefix("\"")) && inner.count >= 2 {
                        steps.append(.field(String(inner.dropFirst().dropLast())))
                        continue
                    }
                    if inner.contains(":") {
                        let parts = inner.split(separator: ":", omittingEmptySubsequences: false).map { Int(String($0).trimmingSpaces()) }
                        steps.append(.slice(parts[0], parts.count > 1 ? parts[1] : nil))
                        continue
                    }
                    guard let n = Int(inner) else { throw KctlError("error parsing jsonpath \(expr), invalid array index \(inner)") }
                    steps.append(.index(n))
                } else {
                    var name = ""
                    while i < c.count && c[i] != "." && c[i] != "[" { name.append(c[i]); i += 1 }
                    if !name.isEmpty { steps.append(.field(name)) }
                }
            }
            return steps
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
