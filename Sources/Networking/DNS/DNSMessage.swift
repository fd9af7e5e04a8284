/// A DNS message (RFC 1035 section 4) as much as cluster DNS needs: the header, questions and
/// answer records of types A, AAAA, CNAME and SRV. Decoding follows compression pointers (with a bound,
/// so a looping message is refused); encoding writes names in full.
public struct DNSMessage: Sendable, Equatable {
    public enum RecordType: UInt16, Sendable {
        case a = 1, cname = 5, srv = 33, aaaa = 28, any = 255
    }

    /// RCODE values cluster DNS answers with.
    public enum ResponseCode: UInt8, Sendable {
        case noError = 0, formatError = 1, serverFailure = 2, nameError = 3, notImplemented = 4, refused = 5
    }

    public struct Question: Sendable, Equatable {
        public var name: String
        public var type: UInt16
        public var `class`: UInt16 = 1
        public init(name: String, type: UInt16, class: UInt16 = 1) {
            self.name = name
            self.type = type
            self.class = `class`
        }
    }

    public struct Record: Sendable, Equatable {
        public enum Data: Sendable, Equatable {
            case a([UInt8])
            case aaaa([UInt8])
            case cname(String)
            case srv(priority: UInt16, weight: UInt16, port: UInt16, target: String)
        }
        public var name: String
        public var ttl: UInt32
        public var data: Data
        public init(name: String, ttl: UInt32, data: Data) {
            self.name = name
            self.ttl = ttl
            self.data = data
        }
    }

    public var id: UInt16
    public var isResponse: Bool
    public var opcode: UInt8 = 0
    public var authoritative = false
    public var recursionDesired = false
    public var recursionAvailable = false
    public var responseCode: ResponseCode = .noError
    public var questions: [Question] = []
    public var answers: [Record] = []

    public init(id: UInt16, isResponse: Bool, questions: [Question] = []) {
        self.id = id
        self.isResponse = isResponse
        self.questions = questions
    }

    public struct MalformedMessage: Error, Equatable {}

    /// Parses a query: its header and questions (answers in a query are ignored).
    public init(decoding bytes: [UInt8]) throws(MalformedMessage) {
        var r = Reader(bytes: bytes)
        id = try r.u16()
        let flags = try r.u16()
        isResponse = flags & 0x8000 != 0
        opcode = UInt8((flags >> 11) & 0xF)
        authoritative = flags & 0x0400 != 0
        recursionDesired = flags & 0x0100 != 0
        recursionAvailable = flags & 0x0080 != 0
        responseCode = ResponseCode(rawValue: UInt8(flags & 0xF)) ?? .serverFailure
        let qd = try r.u16()
        _ = try r.u16(); _ = try r.u16(); _ = try r.u16()
        // A query asks one question in practice; more than a few is not a query we serve.
        guard qd <= 8 else { throw MalformedMessage() }
        for _ in 0..<qd {
            let name = try r.name()
            questions.append(Question(name: name, type: try r.u16(), class: try r.u16()))
        }
    }

    /// The message on the wire.
    public func encoded() -> [UInt8] {
        var out: [UInt8] = []
        func u16(_ v: UInt16) { out += [UInt8(v >> 8), UInt8(v & 0xFF)] }
        func u32(_ v: UInt32) { u16(UInt16(v >> 16)); u16(UInt16(v & 0xFFFF)) }
        func name(_ n: String) {
            for label in n.split(separator: ".") where !label.isEmpty {
                let bytes = Array(label.utf8.prefix(63))
                out.append(UInt8(bytes.count))
                out += bytes
            }
            out.append(0)
        }
        u16(id)
        var flags: UInt16 = isResponse ? 0x8000 : 0
        flags |= UInt16(opcode & 0xF) << 11
        if authoritative { flags |= 0x0400 }
        if recursionDesired { flags |= 0x0100 }
        if recursionAvailable { flags |= 0x0080 }
        flags |= UInt16(responseCode.rawValue)
        u16(flags)
        u16(UInt16(clamping: questions.count)); u16(0); u16(0); u16(0)
        for q in questions.prefix(Int(UInt16.max)) {
            name(q.name); u16(q.type); u16(q.class)
        }
        // A message is at most 65,535 bytes (TCP's length prefix): answers past that are left
        // out and the message says it is truncated (TC), as a headless Service of a large
        // simulated fleet may have more addresses than fit.
        var count = 0
        for a in answers {
            let before = out.count
            name(a.name)
            // Type, class IN, TTL, then the data after its two-byte length.
            func record(_ type: RecordType, _ data: () -> Void) {
                u16(type.rawValue); u16(1); u32(a.ttl)
                let lengthAt = out.count
                u16(0)
                data()
                let length = out.count - lengthAt - 2
                out[lengthAt] = UInt8(length >> 8); out[lengthAt + 1] = UInt8(length & 0xFF)
            }
            switch a.data {
            case .a(let ip): record(.a) { out += ip }
            case .aaaa(let ip): record(.aaaa) { out += ip }
            case .cname(let target): record(.cname) { name(target) }
            case .srv(let priority, let weight, let port, let target):
                record(.srv) { u16(priority); u16(weight); u16(port); name(target) }
            }
            if out.count > Self.maximumSize {
                out.removeSubrange(before...)
                out[2] |= 0x02
                break
            }
            count += 1
        }
        out[6] = UInt8(count >> 8); out[7] = UInt8(count & 0xFF)
        return out
    }

    /// The largest message: what TCP's two-byte length prefix can frame.
    static let maximumSize = Int(UInt16.max)

    /// A bounds-checked reader over the message.
    private struct Reader {
        let bytes: [UInt8]
        var at = 0

        mutating func u8() throws(MalformedMessage) -> UInt8 {
            guard at < bytes.count else { throw MalformedMessage() }
            defer { at += 1 }
            return bytes[at]
        }

        mutating func u16() throws(MalformedMessage) -> UInt16 {
            UInt16(try u8()) << 8 | UInt16(try u8())
        }

        /// A name, following at most 16 compression pointers; lower-cased, without the final dot.
        mutating func name() throws(MalformedMessage) -> String {
            var labels: [String] = [], cursor = at, jumped = false, jumps = 0, length = 0
            while true {
                guard cursor < bytes.count else { throw MalformedMessage() }
                let n = Int(bytes[cursor])
                if n == 0 {
                    if !jumped { at = cursor + 1 }
                    break
                }
                if n & 0xC0 == 0xC0 {
                    guard cursor + 1 < bytes.count, jumps < 16 else { throw MalformedMessage() }
                    if !jumped { at = cursor + 2 }
                    jumped = true
                    jumps += 1
                    cursor = (n & 0x3F) << 8 | Int(bytes[cursor + 1])
                    continue
                }
                guard n <= 63, cursor + 1 + n <= bytes.count else { throw MalformedMessage() }
                length += n + 1
                guard length <= 255 else { throw MalformedMessage() }
                labels.append(String(decoding: bytes[(cursor + 1)..<(cursor + 1 + n)], as: UTF8.self).lowercased())
                cursor += 1 + n
            }
            return labels.joined(separator: ".")
        }
    }
}
