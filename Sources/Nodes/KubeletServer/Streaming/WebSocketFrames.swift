import Foundation

/// RFC 6455 framing for the server side of a stream: client frames arrive masked and may be
/// fragmented or split over reads; server frames go out unmasked, one frame per message.
/// Control frames (ping, pong, close) may come between the fragments of a message.
struct WebSocketFrameReader {
    enum Event: Equatable {
        case message(opcode: UInt8, payload: [UInt8])
        case ping([UInt8])
        case pong
        case close(code: UInt16?)
    }

    enum Failure: Error, Equatable {
        case unmasked, tooLarge, badControl, badContinuation, badOpcode(UInt8)
    }

    /// The largest message accepted (kubectl's stdin and resize messages are far smaller).
    let maxMessage: Int
    private var buffer: [UInt8] = []
    private var fragments: (opcode: UInt8, payload: [UInt8])?

    init(maxMessage: Int = 1 << 20) { self.maxMessage = maxMessage }

    /// Adds bytes read from the socket; returns the complete events they finish.
    mutating func feed<S: Sequence>(_ bytes: S) throws(Failure) -> [Event] where S.Element == UInt8 {
        buffer.append(contentsOf: bytes)
        var events: [Event] = []
        var offset = 0
        while let (frame, used) = try parse(at: offset) {
            offset += used
            if let event = try assemble(frame) { events.append(event) }
        }
        buffer.removeFirst(offset)
        return events
    }

    private struct Frame {
        var fin: Bool
        var opcode: UInt8
        var payload: [UInt8]
    }

    private func parse(at start: Int) throws(Failure) -> (Frame, Int)? {
        let b = buffer
        guard b.count - start >= 2 else { return nil }
        let fin = b[start] & 0x80 != 0, opcode = b[start] & 0x0f
        guard b[start + 1] & 0x80 != 0 else { throw .unmasked }
        var length = Int(b[start + 1] & 0x7f), at = start + 2
        if length == 126 {
            guard b.count - at >= 2 else { return nil }
            length = Int(b[at]) << 8 | Int(b[at + 1])
            at += 2
        } else if length == 127 {
            guard b.count - at >= 8 else { return nil }
            var n: UInt64 = 0
            for i in 0..<8 { n = n << 8 | UInt64(b[at + i]) }
            guard n <= UInt64(maxMessage) else { throw .tooLarge }
            length = Int(n)
            at += 8
        }
        guard length <= maxMessage else { throw .tooLarge }
        if opcode >= 8 && (length > 125 || !fin) { throw .badControl }
        guard b.count - at >= 4 + length else { return nil }
        let mask = Array(b[at..<at + 4])
        at += 4
        var payload = Array(b[at..<at + length])
        for i in payload.indices { payload[i] ^= mask[i & 3] }
        return (Frame(fin: fin, opcode: opcode, payload: payload), at + length - start)
    }

    private mutating func assemble(_ f: Frame) throws(Failure) -> Event? {
        switch f.opcode {
        case 0:
            guard var m = fragments else { throw .badContinuation }
            guard m.payload.count + f.payload.count <= maxMessage else { throw .tooLarge }
            m.payload += f.payload
            if f.fin {
                fragments = nil
                return .message(opcode: m.opcode, payload: m.payload)
            }
            fragments = m
            return nil
        case 1, 2:
            guard fragments == nil else { throw .badContinuation }
            if f.fin { return .message(opcode: f.opcode, payload: f.payload) }
            fragments = (f.opcode, f.payload)
            return nil
        case 8:
            return .close(code: f.payload.count >= 2 ? UInt16(f.payload[0]) << 8 | UInt16(f.payload[1]) : nil)
        case 9: return .ping(f.payload)
        case 10: return .pong
        default: throw .badOpcode(f.opcode)
        }
    }
}

/// Server frames: unmasked, final.
enum WebSocketFrame {
    static let binary: UInt8 = 2, close: UInt8 = 8, pong: UInt8 = 10

    static func encode(opcode: UInt8, _ payload: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x80 | opcode]
        let n = payload.count
        if n < 126 {
            out.append(UInt8(n))
        } else if n <= 0xffff {
            out += [126, UInt8(n >> 8), UInt8(n & 0xff)]
        } else {
            out.append(127)
            for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8((UInt64(n) >> UInt64(shift)) & 0xff)) }
        }
        return out + payload
    }

    /// A close frame with its status code (1000: normal closure).
    static func closeFrame(_ code: UInt16) -> [UInt8] { encode(opcode: close, [UInt8(code >> 8), UInt8(code & 0xff)]) }

    /// `Sec-WebSocket-Accept` for a client's `Sec-WebSocket-Key`.
    static func accept(key: String) -> String {
        Data(SHA1.digest(Array((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").utf8))).base64EncodedString()
    }
}

/// SHA-1 (FIPS 180-4), only for the WebSocket handshake's accept key (RFC 6455 4.2.2).
enum SHA1 {
    static func digest(_ message: [UInt8]) -> [UInt8] {
        var h: [UInt32] = [0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0]
        var m = message + [0x80]
        while m.count % 64 != 56 { m.append(0) }
        let bits = UInt64(message.count) &* 8
        for shift in stride(from: 56, through: 0, by: -8) { m.append(UInt8((bits >> UInt64(shift)) & 0xff)) }
        var w = [UInt32](repeating: 0, count: 80)
        for chunk in stride(from: 0, to: m.count, by: 64) {
            for i in 0..<16 {
                w[i] = UInt32(m[chunk + 4 * i]) << 24 | UInt32(m[chunk + 4 * i + 1]) << 16 | UInt32(m[chunk + 4 * i + 2]) << 8 | UInt32(m[chunk + 4 * i + 3])
            }
            for i in 16..<80 { w[i] = (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotatedLeft(1) }
            var a = h[0], b = h[1], c = h[2], d = h[3], e = h[4]
            for i in 0..<80 {
                let (f, k): (UInt32, UInt32) = switch i {
                case 0..<20: ((b & c) | (~b & d), 0x5A827999)
                case 20..<40: (b ^ c ^ d, 0x6ED9EBA1)
                case 40..<60: ((b & c) | (b & d) | (c & d), 0x8F1BBCDC)
                default: (b ^ c ^ d, 0xCA62C1D6)
                }
                let t = a.rotatedLeft(5) &+ f &+ e &+ k &+ w[i]
                e = d; d = c; c = b.rotatedLeft(30); b = a; a = t
            }
            h[0] &+= a; h[1] &+= b; h[2] &+= c; h[3] &+= d; h[4] &+= e
        }
        return h.flatMap { v in [UInt8(v >> 24), UInt8(v >> 16 & 0xff), UInt8(v >> 8 & 0xff), UInt8(v & 0xff)] }
    }
}

private extension UInt32 {
    func rotatedLeft(_ n: UInt32) -> UInt32 { self << n | self >> (32 - n) }
}
