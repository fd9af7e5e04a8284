/// A JSON parse failure, worded like Go's encoding/json so kubectl users see familiar text.
public struct JSONParseError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public let offset: Int
    public var description: String { message }
}

/// A byte-level JSON parser: several times faster than JSONSerialization on Linux, and it keeps
/// integers exact.
public struct JSONParser {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var pos = 0
    private var depth = 0
    /// The deepest nesting of objects and arrays accepted, in JSON, YAML and the results of JSON
    /// patches. kube-apiserver's decoder allows 10000, but here every recursive walk of a value
    /// (parsing, validation, strategic merge, serialization, equality, release) runs on the stack
    /// of a Swift task, 512 KB on macOS; in a debug build a strategic merge takes some 4.5 KB a
    /// level, so 64 levels fit with room for what calls it (`DepthLimitTests`). The deepest
    /// objects kplane serves nest about 20 levels (a CronJob's pod affinity terms, or the
    /// managedFields that mirror them), so 64 is three times what any real object needs.
    public static let maxDepth = 64

    public static func parse(_ data: some Collection<UInt8>) throws(JSONParseError) -> JSONValue {
        let array = Array(data)
        do {
            return try array.withUnsafeBufferPointer { buf in
                var p = JSONParser(bytes: buf)
                p.skipWhitespace()
                let v = try p.parseValue()
                p.skipWhitespace()
                if p.pos < buf.count {
                    throw p.error("invalid character \(p.describe(buf[p.pos])) after top-level value")
                }
                return v
            }
        } catch let e as JSONParseError {
            throw e
        } catch {
            throw JSONParseError(message: "\(error)", offset: 0)
        }
    }

    public static func parse(_ string: String) throws(JSONParseError) -> JSONValue {
        try parse(Array(string.utf8))
    }

    private init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    private func error(_ m: String) -> JSONParseError { JSONParseError(message: m, offset: pos) }

    private func describe(_ b: UInt8) -> String {
        if b >= 0x20 && b < 0x7f { return "'\(Character(Unicode.Scalar(b)))'" }
        return "'\\x\(String(b, radix: 16))'"
    }

    private mutating func skipWhitespace() {
        while pos < bytes.count {
            let b = bytes[pos]
            if b == 0x20 || b == 0x0a || b == 0x0d || b == 0x09 { pos += 1 } else { break }
        }
    }

    private mutating func parseValue() throws(JSONParseError) -> JSONValue {
        guard pos < bytes.count else { throw error("unexpected end of JSON input") }
        switch bytes[pos] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw error("invalid character \(describe(bytes[pos])) looking for beginning of value")
        }
    }

    private mutating func literal(_ word: StaticString) throws(JSONParseError) {
        let n = word.utf8CodeUnitCount
        guard pos + n <= bytes.count else { throw error("unexpected end of JSON input") }
        let w = word.utf8Start
        for i in 0..<n where bytes[pos + i] != w[i] {
            pos += i
            throw error("invalid character \(describe(bytes[pos])) in literal \(word)")
        }
        pos += n
    }

    private mutating func parseObject() throws(JSONParseError) -> JSONValue {
        depth += 1
        if depth > Self.maxDepth { throw error("exceeded max depth") }
        defer { depth -= 1 }
        pos += 1
        var o: [String: JSONValue] = [:]
        skipWhitespace()
        if pos < bytes.count && bytes[pos] == UInt8(ascii: "}") { pos += 1; return .object(o) }
        while true {
            skipWhitespace()
            guard pos < bytes.count else { throw error("unexpected end of JSON input") }
            guard bytes[pos] == UInt8(ascii: "\"") else {
                throw error("invalid character \(describe(bytes[pos])) looking for beginning of object key string")
            }
            let key = try parseString()
            skipWhitespace()
            guard pos < bytes.count else { throw error("unexpected end of JSON input") }
            guard bytes[pos] == UInt8(ascii: ":") else {
                throw error("invalid character \(describe(bytes[pos])) after object key")
            }
            pos += 1
            skipWhitespace()
            o[key] = try parseValue()
            skipWhitespace()
            guard pos < bytes.count else { throw error("unexpected end of JSON input") }
            if bytes[pos] == UInt8(ascii: ",") { pos += 1; continue }
            if bytes[pos] == UInt8(ascii: "}") { pos += 1; return .object(o) }
            throw error("invalid character \(describe(bytes[pos])) after object key:value pair")
        }
    }

    private mutating func parseArray() throws(JSONParseError) -> JSONValue {
        depth += 1
        if depth > Self.maxDepth { throw error("exceeded max depth") }
        defer { depth -= 1 }
        pos += 1
        var a: [JSONValue] = []
        skipWhitespace()
        if pos < bytes.count && bytes[pos] == UInt8(ascii: "]") { pos += 1; return .array(a) }
        while true {
            skipWhitespace()
            a.append(try parseValue())
            skipWhitespace()
            guard pos < bytes.count else { throw error("unexpected end of JSON input") }
            if bytes[pos] == UInt8(ascii: ",") { pos += 1; continue }
            if bytes[pos] == UInt8(ascii: "]") { pos += 1; return .array(a) }
            throw error("invalid character \(describe(bytes[pos])) after array element")
        }
    }

    private mutating func parseString() throws(JSONParseError) -> String {
        pos += 1
        let start = pos
        // Fast path: no escapes.
        while pos < bytes.count {
            let b = bytes[pos]
            if b == UInt8(ascii: "\"") {
                let s = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<pos]), as: UTF8.self)
                pos += 1
                return s
            }
            if b == UInt8(ascii: "\\") || b < 0x20 { break }
            pos += 1
        }
        var out = Array(bytes[start..<pos])
        while pos < bytes.count {
            let b = bytes[pos]
            if b == UInt8(ascii: "\"") {
                pos += 1
                return String(decoding: out, as: UTF8.self)
            }
            if b < 0x20 { throw error("invalid character \(describe(b)) in string literal") }
            if b != UInt8(ascii: "\\") { out.append(b); pos += 1; continue }
            pos += 1
            guard pos < bytes.count else { break }
            let e = bytes[pos]
            pos += 1
            switch e {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5c)
            case UInt8(ascii: "/"): out.append(0x2f)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0c)
            case UInt8(ascii: "n"): out.append(0x0a)
            case UInt8(ascii: "r"): out.append(0x0d)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if scalar >= 0xD800 && scalar < 0xDC00, pos + 1 < bytes.count,
                    bytes[pos] == UInt8(ascii: "\\"), bytes[pos + 1] == UInt8(ascii: "u")
                {
                    pos += 2
                    let low = try hex4()
                    if low >= 0xDC00 && low < 0xE000 {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else {
                        scalar = 0xFFFD
                    }
                }
                let u = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                out.append(contentsOf: Array(String(Character(u)).utf8))
            default:
                throw error("invalid character \(describe(e)) in string escape code")
            }
        }
        throw error("unexpected end of JSON input")
    }

    private mutating func hex4() throws(JSONParseError) -> UInt32 {
        guard pos + 4 <= bytes.count else { throw error("unexpected end of JSON input") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[pos]
            let d: UInt32
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(b - 48)
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(b - 87)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(b - 55)
            default: throw error("invalid character \(describe(b)) in \\u hexadecimal character escape")
            }
            v = v * 16 + d
            pos += 1
        }
        return v
    }

    private mutating func parseNumber() throws(JSONParseError) -> JSONValue {
        let start = pos
        var isFloat = false
        if bytes[pos] == UInt8(ascii: "-") { pos += 1 }
        guard pos < bytes.count, bytes[pos] >= 48, bytes[pos] <= 57 else {
            if pos < bytes.count { throw error("invalid character \(describe(bytes[pos])) in numeric literal") }
            throw error("unexpected end of JSON input")
        }
        while pos < bytes.count {
            let b = bytes[pos]
            if b >= 48 && b <= 57 { pos += 1; continue }
            if b == UInt8(ascii: ".") || b == UInt8(ascii: "e") || b == UInt8(ascii: "E")
                || ((b == UInt8(ascii: "+") || b == UInt8(ascii: "-")) && isFloat)
            {
                isFloat = true
                pos += 1
                continue
            }
            break
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<pos]), as: UTF8.self)
        if !isFloat, let i = Int64(text) { return .int(i) }
        guard let d = Double(text) else { throw error("invalid number literal \(text)") }
        // Go's decoder refuses what a float64 cannot hold rather than storing an infinity.
        guard d.isFinite else { throw error("json: cannot unmarshal number \(text) into Go value of type float64") }
        return .double(d)
    }
}
