import Foundation

/// The client half of RFC 6455 as client-go's (gorilla) WebSocket speaks it: our frames go out
/// masked, one frame per message; the server's arrive unmasked, possibly fragmented or split
/// over reads, with control frames between fragments.
public struct WebSocketClient {
    public enum Event: Equatable {
        case message([UInt8])
        case ping([UInt8])
        case close
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// The largest message accepted (a tunnelled SPDY frame or a chunk of output is far smaller).
    let maxMessage: Int
    private var buffer: [UInt8] = []
    private var fragments: [UInt8]?

    public init(maxMessage: Int = 4 << 20) { self.maxMessage = maxMessage }

    /// The headers of the handshake offering `protocols` (RFC 6455 4.1).
    public static func handshake(protocols: [String]) -> [(String, String)] {
        let key = Data((0..<16).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
        return [("Connection", "Upgrade"), ("Upgrade", "websocket"), ("Sec-WebSocket-Version", "13"), ("Sec-WebSocket-Key", key),
                ("Sec-WebSocket-Protocol", protocols.joined(separator: ", "))]
    }

    /// The subprotocol a 101 chose, checked against those offered (gorilla's error otherwise).
    public static func chosen(_ headers: [String: String], offered: [String]) throws -> String {
        let got = headers["sec-websocket-protocol"] ?? ""
        guard offered.contains(got) else {
            throw Failure(description: "invalid protocol, expected one of [\(offered.map { "\"\($0)\"" }.joined(separator: " "))], got \"\(got)\"")
        }
        return got
    }

    /// Adds bytes read from the connection; returns the events they complete.
    public mutating func feed(_ bytes: [UInt8]) throws -> [Event] {
        buffer += bytes
        var events: [Event] = []
        var at = 0
        while let (fin, opcode, payload, used) = try frame(at: at) {
            at += used
            switch opcode {
            case 0:
                guard var m = fragments, m.count + payload.count <= maxMessage else { throw Failure(description: "websocket: bad continuation") }
                m += payload
                if fin { fragments = nil; events.append(.message(m)) } else { fragments = m }
            case 1, 2:
                if fin { events.append(.message(payload)) } else { fragments = payload }
            case 8: events.append(.close)
            case 9: events.append(.ping(payload))
            case 10: continue
            default: throw Failure(description: "websocket: unknown opcode \(opcode)")
            }
        }
        buffer.removeFirst(at)
        return events
    }

    private func frame(at start: Int) throws -> (Bool, UInt8, [UInt8], Int)? {
        let b = buffer
        guard b.count - start >= 2 else { return nil }
        let masked = b[start + 1] & 0x80 != 0
        var length = Int(b[start + 1] & 0x7f), at = start + 2
        if length == 126 {
            guard b.count - at >= 2 else { return nil }
            length = Int(b[at]) << 8 | Int(b[at + 1])
            at += 2
        } else if length == 127 {
            guard b.count - at >= 8 else { return nil }
            var n: UInt64 = 0
            for i in 0..<8 { n = n << 8 | UInt64(b[at + i]) }
            guard n <= UInt64(maxMessage) else { throw Failure(description: "websocket: message too large") }
            length = Int(n)
            at += 8
        }
        guard length <= maxMessage else { throw Failure(description: "websocket: message too large") }
        let maskLength = masked ? 4 : 0
        guard b.count - at >= maskLength + length else { return nil }
        var payload = Array(b[(at + maskLength)..<(at + maskLength + length)])
        if masked { for i in payload.indices { payload[i] ^= b[at + (i & 3)] } }
        return (b[start] & 0x80 != 0, b[start] & 0x0f, payload, at + maskLength + length - start)
    }

    public static let binary: UInt8 = 2, close: UInt8 = 8, pong: UInt8 = 10

    /// One final, masked frame.
    public static func frame(opcode: UInt8, _ payload: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x80 | opcode]
        let n = payload.count
        if n < 126 {
            out.append(0x80 | UInt8(n))
        } else if n <= 0xffff {
            out += [0x80 | 126, UInt8(n >> 8), UInt8(n & 0xff)]
        } else {
            out.append(0x80 | 127)
            for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8((UInt64(n) >> UInt64(shift)) & 0xff)) }
        }
        let mask = (0..<4).map { _ in UInt8.random(in: 0...255) }
        out += mask
        out.reserveCapacity(out.count + n)
        for (i, byte) in payload.enumerated() { out.append(byte ^ mask[i & 3]) }
        return out
    }

    /// A close frame 1000 (normal closure), as gorilla answers the server's.
    public static var normalClose: [UInt8] { frame(opcode: close, [0x03, 0xe8]) }
}
