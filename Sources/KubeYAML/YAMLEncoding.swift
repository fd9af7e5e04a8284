import KubeModel

/// Writes JSON values as YAML the way kubectl prints them (sigs.k8s.io/yaml over go-yaml v2):
/// sorted keys, two-space indents, list items level with their key, literal blocks for
/// multi-line strings, and quotes only where a plain scalar would read back as something else.
public enum YAMLEncoding {
    public static func string(_ value: JSONValue) -> String {
        var out = ""
        switch value {
        case .object(let o) where !o.isEmpty: writeMap(o, indent: 0, into: &out)
        case .array(let a) where !a.isEmpty: writeList(a, indent: 0, into: &out)
        default: out = scalar(value, indent: 0) + "\n"
        }
        return out
    }

    private static func pad(_ n: Int) -> String { String(repeating: " ", count: n) }

    private static func writeMap(_ o: [String: JSONValue], indent: Int, into out: inout String) {
        for key in o.keys.sorted() {
            guard let v = o[key] else { continue }
            out += pad(indent) + quoteIfNeeded(key) + ":"
            writeValue(v, indent: indent, into: &out)
        }
    }

    /// After "key:" or "- ": the value on the same line, or nested below.
    private static func writeValue(_ v: JSONValue, indent: Int, into out: inout String) {
        switch v {
        case .object(let m) where !m.isEmpty:
            out += "\n"
            writeMap(m, indent: indent + 2, into: &out)
        case .array(let a) where !a.isEmpty:
            out += "\n"
            writeList(a, indent: indent, into: &out)
        default:
            out += " " + scalar(v, indent: indent + 2) + "\n"
        }
    }

    private static func writeList(_ a: [JSONValue], indent: Int, into out: inout String) {
        for item in a {
            out += pad(indent) + "-"
            switch item {
            case .object(let m) where !m.isEmpty:
                var first = true
                for key in m.keys.sorted() {
                    guard let v = m[key] else { continue }
                    out += (first ? " " : pad(indent + 2)) + quoteIfNeeded(key) + ":"
                    first = false
                    writeValue(v, indent: indent + 2, into: &out)
                }
            case .array(let inner) where !inner.isEmpty:
                // go-yaml writes nested lists as "- - a".
                var nested = ""
                writeList(inner, indent: indent + 2, into: &nested)
                out += " " + nested.dropFirst(indent + 2)
            default:
                out += " " + scalar(item, indent: indent + 2) + "\n"
            }
        }
    }

    static func scalar(_ v: JSONValue, indent: Int) -> String {
        switch v {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double: return v.description
        case .object: return "{}"
        case .array: return "[]"
        case .string(let s):
            if s.contains("\n") && canBeLiteral(s) { return literal(s, indent: indent) }
            return quoteIfNeeded(s)
        }
    }

    private static func canBeLiteral(_ s: String) -> Bool {
        !s.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\n" && $0 != "\t") || $0 == "\u{FEFF}" }
            && !s.split(separator: "\n", omittingEmptySubsequences: false).contains { $0.hasSuffix(" ") }
            && !s.hasPrefix(" ")
    }

    private static func literal(_ s: String, indent: Int) -> String {
        var body = Substring(s)
        var chomp = "-"
        if body.hasSuffix("\n") {
            body = body.dropLast()
            chomp = body.hasSuffix("\n") ? "+" : ""
        }
        let lines = body.split(separator: "\n", omittingEmptySubsequences: false)
        return "|" + chomp + "\n" + lines.map { $0.isEmpty ? "" : pad(indent) + $0 }.joined(separator: "\n")
            + (chomp == "+" ? "\n" : "")
    }

    /// go-yaml v2 reads these plain scalars as booleans or null (YAML 1.1), so it quotes them.
    private static let reserved: Set<String> = [
        "", "~", "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE", "y", "Y", "yes", "Yes", "YES",
        "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF", ".inf", ".Inf", ".INF", "-.inf", "+.inf", ".nan", ".NaN", ".NAN", "<<",
    ]

    public static func quoteIfNeeded(_ s: String) -> String {
        if reserved.contains(s) || looksNumeric(s) || looksLikeTimestamp(s) { return doubleQuoted(s) }
        if s.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) { return doubleQuoted(s) }
        if plainAllowed(s) { return s }
        return "'" + s.replacingAll("'", with: "''") + "'"
    }

    private static func plainAllowed(_ s: String) -> Bool {
        let c = Array(s.unicodeScalars)
        guard let first = c.first, let last = c.last else { return false }
        if first == " " || last == " " || last == ":" { return false }
        if "[]{},#&*!|>'\"%@`".unicodeScalars.contains(first) { return false }
        if first == "-" || first == "?" || first == ":" {
            if c.count == 1 || c[1] == " " { return false }
        }
        for i in 0..<c.count {
            if c[i] == ":" && i + 1 < c.count && c[i + 1] == " " { return false }
            if c[i] == "#" && i > 0 && c[i - 1] == " " { return false }
        }
        return true
    }

    private static func looksNumeric(_ s: String) -> Bool {
        var body = Substring(s)
        if body.hasPrefix("-") || body.hasPrefix("+") { body = body.dropFirst() }
        if body.isEmpty { return false }
        if body.hasPrefix("0x") || body.hasPrefix("0o") || body.hasPrefix("0b") {
            return body.count > 2 && body.dropFirst(2).allSatisfy { $0.isHexDigit || $0 == "_" }
        }
        var digits = 0
        var dots = 0
        var exp = false
        var prev: Character = " "
        for ch in body {
            if ch.isASCII && ch.isNumber { digits += 1 }
            else if ch == "_" { }
            else if ch == "." && !exp { dots += 1 }
            else if (ch == "e" || ch == "E") && digits > 0 && !exp { exp = true }
            else if (ch == "+" || ch == "-") && (prev == "e" || prev == "E") { }
            else if ch == ":" && digits > 0 { }  // sexagesimal (YAML 1.1): 12:30
            else { return false }
            prev = ch
        }
        return digits > 0 && dots <= 1
    }

    private static func looksLikeTimestamp(_ s: String) -> Bool {
        let b = Array(s.utf8)
        guard b.count >= 10 else { return false }
        func digit(_ i: Int) -> Bool { b[i] >= 48 && b[i] <= 57 }
        return digit(0) && digit(1) && digit(2) && digit(3) && b[4] == UInt8(ascii: "-") && digit(5) && (b[6] == UInt8(ascii: "-") || digit(6))
    }

    private static func doubleQuoted(_ s: String) -> String { goQuote(s) }
}
