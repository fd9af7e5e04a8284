/// Serializes JSON with sorted object keys and without escaping "/", byte-compatible with Go's
/// encoding/json output for the values Kubernetes stores.
public enum JSONSerializer {
    public static func serialize(_ value: JSONValue) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(512)
        write(value, into: &out)
        return out
    }

    public static func string(_ value: JSONValue) -> String {
        String(decoding: serialize(value), as: UTF8.self)
    }

    public static func write(_ value: JSONValue, into out: inout [UInt8]) {
        switch value {
        case .null: out.append(contentsOf: [110, 117, 108, 108])
        case .bool(let b): out.append(contentsOf: b ? Array("true".utf8) : Array("false".utf8))
        case .int(let i): out.append(contentsOf: String(i).utf8)
        case .double(let d): out.append(contentsOf: formatDouble(d).utf8)
        case .string(let s): writeString(s, into: &out)
        case .array(let a):
            out.append(UInt8(ascii: "["))
            for (i, v) in a.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                write(v, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let o):
            out.append(UInt8(ascii: "{"))
            var first = true
            for key in o.keys.sorted() {
                guard let v = o[key] else { continue }
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                writeString(key, into: &out)
                out.append(UInt8(ascii: ":"))
                write(v, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    static func formatDouble(_ d: Double) -> String {
        if d.isNaN || d.isInfinite { return "null" }
        if d == d.rounded() && abs(d) < 1e15 { return String(Int64(d)) }
        return "\(d)"
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    public static func writeString(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""): out.append(0x5c); out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5c); out.append(0x5c)
            case 0x0a: out.append(0x5c); out.append(UInt8(ascii: "n"))
            case 0x0d: out.append(0x5c); out.append(UInt8(ascii: "r"))
            case 0x09: out.append(0x5c); out.append(UInt8(ascii: "t"))
            case 0..<0x20, UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "&"):
                // Go escapes HTML-sensitive characters too.
                out.append(contentsOf: Array("\\u00".utf8))
                out.append(hexDigits[Int(b >> 4)])
                out.append(hexDigits[Int(b & 0xf)])
            default: out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}

extension JSONValue: CustomStringConvertible {
    public var description: String { JSONSerializer.string(self) }
}

extension JSONSerializer {
    /// Indented JSON as Go's json.MarshalIndent writes it (kubectl -o json uses 4 spaces).
    public static func pretty(_ value: JSONValue, indent: Int = 4) -> String {
        var out: [UInt8] = []
        writePretty(value, level: 0, indent: indent, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    private static func writePretty(_ value: JSONValue, level: Int, indent: Int, into out: inout [UInt8]) {
        func pad(_ n: Int) { out.append(contentsOf: [UInt8](repeating: 0x20, count: n * indent)) }
        switch value {
        case .array(let a) where !a.isEmpty:
            out.append(UInt8(ascii: "["))
            for (i, v) in a.enumerated() {
                out.append(contentsOf: i == 0 ? [0x0a] : [UInt8(ascii: ","), 0x0a])
                pad(level + 1)
                writePretty(v, level: level + 1, indent: indent, into: &out)
            }
            out.append(0x0a)
            pad(level)
            out.append(UInt8(ascii: "]"))
        case .object(let o) where !o.isEmpty:
            out.append(UInt8(ascii: "{"))
            for (i, k) in o.keys.sorted().enumerated() {
                out.append(contentsOf: i == 0 ? [0x0a] : [UInt8(ascii: ","), 0x0a])
                pad(level + 1)
                writeString(k, into: &out)
                out.append(contentsOf: [UInt8(ascii: ":"), 0x20])
                writePretty(o[k] ?? .null, level: level + 1, indent: indent, into: &out)
            }
            out.append(0x0a)
            pad(level)
            out.append(UInt8(ascii: "}"))
        default:
            write(value, into: &out)
        }
    }
}
