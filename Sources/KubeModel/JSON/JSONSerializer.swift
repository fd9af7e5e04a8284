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
        case .null: append("null", into: &out)
        case .bool(let b): append(b ? "true" : "false", into: &out)
        case .int(let i): writeInt(i, into: &out)
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
            for (key, v) in sortedPairs(o) {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                writeString(key, into: &out)
                out.append(UInt8(ascii: ":"))
                write(v, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// An object's members in Go's order (`sort.Strings`, byte by byte). Swift's `<` orders
    /// strings by Unicode scalars, which is UTF-8 byte order for the (NFC) strings keys hold, and
    /// measured faster than comparing the bytes through `withUTF8`.
    static func sortedPairs(_ o: [String: JSONValue]) -> [(key: String, value: JSONValue)] {
        o.sorted { $0.key < $1.key }
    }

    private static func append(_ s: StaticString, into out: inout [UInt8]) {
        out.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    /// Decimal digits without building a String.
    static func writeInt(_ i: Int64, into out: inout [UInt8]) {
        if i < 0 { out.append(UInt8(ascii: "-")) }
        var m = i.magnitude
        if m < 10 { return out.append(UInt8(truncatingIfNeeded: m) + 48) }
        var digits: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)  // 32 bytes: room for 20 digits
        var n = 0
        withUnsafeMutableBytes(of: &digits) { d in
            while m > 0 {
                d[31 - n] = UInt8(truncatingIfNeeded: m % 10) + 48
                m /= 10
                n += 1
            }
            out.append(contentsOf: d[(32 - n)...])
        }
    }

    static func formatDouble(_ d: Double) -> String {
        if d.isNaN || d.isInfinite { return "null" }
        if d == d.rounded() && abs(d) < 1e15 { return String(Int64(d)) }
        return "\(d)"
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Bytes Go's encoder escapes (quote, backslash, controls, `<`, `>`, `&`) or may (0xE2 starts
    /// U+2028 and U+2029).
    private static let special: [Bool] = (0...255).map { b in
        b < 0x20 || b == 0x22 || b == 0x5c || b == 0x3c || b == 0x3e || b == 0x26 || b == 0xe2
    }

    public static func writeString(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { bytes in
            // Most strings need no escaping: copy them whole.
            if !bytes.contains(where: { special[Int($0)] }) { return out.append(contentsOf: bytes) }
            var i = 0
            while i < bytes.count {
                let b = bytes[i]
                i += 1
                switch b {
                case UInt8(ascii: "\""): out.append(0x5c); out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5c); out.append(0x5c)
                case 0x0a: out.append(0x5c); out.append(UInt8(ascii: "n"))
                case 0x0d: out.append(0x5c); out.append(UInt8(ascii: "r"))
                case 0x09: out.append(0x5c); out.append(UInt8(ascii: "t"))
                case 0..<0x20, UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "&"):
                    // Go escapes HTML-sensitive characters too.
                    append("\\u00", into: &out)
                    out.append(hexDigits[Int(b >> 4)])
                    out.append(hexDigits[Int(b & 0xf)])
                case 0xe2 where i + 1 < bytes.count && bytes[i] == 0x80 && (bytes[i + 1] == 0xa8 || bytes[i + 1] == 0xa9):
                    // U+2028 and U+2029 end lines in JavaScript; Go writes them escaped.
                    append(bytes[i + 1] == 0xa8 ? "\\u2028" : "\\u2029", into: &out)
                    i += 2
                default: out.append(b)
                }
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
            for (i, (k, v)) in sortedPairs(o).enumerated() {
                out.append(contentsOf: i == 0 ? [0x0a] : [UInt8(ascii: ","), 0x0a])
                pad(level + 1)
                writeString(k, into: &out)
                out.append(contentsOf: [UInt8(ascii: ":"), 0x20])
                writePretty(v, level: level + 1, indent: indent, into: &out)
            }
            out.append(0x0a)
            pad(level)
            out.append(UInt8(ascii: "}"))
        default:
            write(value, into: &out)
        }
    }
}
