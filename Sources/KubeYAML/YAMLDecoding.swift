import KubeModel

/// YAML to JSON with YAML 1.2 core-schema scalars (what Kubernetes manifests mean): `yes`, `on`,
/// `0777`, `12:30` and dates stay strings; only true/false, null, decimal/hex/octal (0o) integers
/// and floats are typed.
public enum YAMLDecoding {
    public struct Failure: Error, CustomStringConvertible {
        public let message: String
        /// 1-based index of the document that failed in a multi-document stream.
        public var document = 1
        public var description: String { message }
    }

    /// Decodes every document of a YAML stream (empty documents are skipped).
    public static func documents(_ text: String) throws -> [JSONValue] {
        try documents(bytes: Array(text.utf8))
    }

    /// Decodes every document of a YAML stream of bytes: invalid UTF-8 is an error, as in go-yaml,
    /// and aliases and nesting are bounded as kube-apiserver bounds them (see `YAMLComposer`).
    public static func documents(bytes: [UInt8]) throws -> [JSONValue] {
        try YAMLComposer.documents(bytes).filter { !$0.isNull }
    }

    static func scalar(_ s: String, plain: Bool, tag: String) -> JSONValue {
        if tag.hasSuffix(":str") || tag == "!" { return .string(s) }
        if tag.hasSuffix(":int"), let i = Int64(s) { return .int(i) }
        guard plain else { return .string(s) }
        switch s {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        default: break
        }
        if let i = integer(s) { return .int(i) }
        if isFloat(s), let d = Double(s) { return .double(d) }
        return .string(s)
    }

    static func integer(_ s: String) -> Int64? {
        var body = Substring(s)
        if body.hasPrefix("0x") { return Int64(body.dropFirst(2), radix: 16) }
        if body.hasPrefix("0o") { return Int64(body.dropFirst(2), radix: 8) }
        var negative = false
        if body.first == "-" || body.first == "+" {
            negative = body.first == "-"
            body = body.dropFirst()
        }
        guard !body.isEmpty, body.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        guard let v = Int64(body) else { return nil }
        return negative ? -v : v
    }

    static func isFloat(_ s: String) -> Bool {
        var chars = Array(s)[...]
        if chars.first == "-" || chars.first == "+" { chars = chars.dropFirst() }
        var digits = 0
        var dot = false
        var exp = false
        var prev: Character = " "
        for c in chars {
            if c.isASCII && c.isNumber { digits += 1 }
            else if c == "." && !dot && !exp { dot = true }
            else if (c == "e" || c == "E") && !exp && digits > 0 { exp = true }
            else if (c == "+" || c == "-") && (prev == "e" || prev == "E") {}
            else { return false }
            prev = c
        }
        return digits > 0 && (dot || exp)
    }
}
