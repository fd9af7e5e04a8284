import KubeModel
import Yams

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
        var out: [JSONValue] = []
        var index = 1
        do {
            // Parser.nextRoot throws on malformed input; compose_all's sequence would stop silently.
            let parser = try Parser(yaml: text, resolver: .basic)
            while let node = try parser.nextRoot() {
                let v = try convert(node)
                if !v.isNull { out.append(v) }
                index += 1
            }
            return out
        } catch let e as Failure {
            throw Failure(message: e.message, document: index)
        } catch let e as YamlError {
            throw Failure(message: "error converting YAML to JSON: yaml: " + describe(e), document: index)
        } catch {
            throw Failure(message: "error converting YAML to JSON: \(error)", document: index)
        }
    }

    /// go-yaml's one-line form: "line 6: did not find expected node content".
    static func describe(_ e: YamlError) -> String {
        switch e {
        case .scanner(let context, let problem, let mark, _):
            return goYAMLLine(problem: mark.line - 1, context: context, scanner: true) + problem
        case .parser(let context, let problem, let mark, _):
            return goYAMLLine(problem: mark.line - 1, context: context, scanner: false) + problem
        case .composer(_, let problem, let mark, _):
            return "line \(mark.line): \(problem)"
        case .reader(let problem, _, _, _):
            return problem
        default:
            return "\(e)".split(separator: "\n").first.map(String.init) ?? "\(e)"
        }
    }

    /// go-yaml's "line N: " from libyaml's 0-based marks: the problem's line, counted from 1
    /// only for scanner errors, else the context's line; nothing for line 0.
    static func goYAMLLine(problem: Int, context: YamlError.Context?, scanner: Bool) -> String {
        var line = 0
        if problem != 0 {
            line = scanner ? problem + 1 : problem
        } else if let context {
            line = context.mark.line - 1
        }
        return line != 0 ? "line \(line): " : ""
    }

    static func convert(_ node: Node) throws -> JSONValue {
        switch node {
        case .scalar(let s):
            return scalar(s.string, plain: s.style == .plain, tag: s.tag.description)
        case .sequence(let seq):
            return .array(try seq.map(convert))
        case .mapping(let m):
            var o: [String: JSONValue] = [:]
            for (k, v) in m {
                guard case .scalar(let ks) = k else { throw Failure(message: "error converting YAML to JSON: non-scalar map key") }
                o[ks.string] = try convert(v)
            }
            return .object(o)
        case .alias:
            throw Failure(message: "error converting YAML to JSON: aliases are not supported")
        }
    }

    static func scalar(_ s: String, plain: Bool, tag: String) -> JSONValue {
        if tag.hasSuffix(":str") && !plain { return .string(s) }
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
