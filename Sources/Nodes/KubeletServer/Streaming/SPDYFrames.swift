import Foundation

/// SPDY/3.1 framing (big-endian), as moby/spdystream speaks it for kubectl. Control frame:
/// `80 03 <type:2> <flags:1> <length:3> <payload>`; data frame: `<0|stream-id:31> <flags:1>
/// <length:3> <data>`; flag 01 is FIN. Frames are parsed from a byte stream, whatever the
/// boundaries of the reads (or WebSocket messages) that carry it.
struct SPDYFrameReader {
    enum Frame: Equatable {
        case synStream(id: UInt32, fin: Bool, headerBlock: [UInt8])
        case synReply(id: UInt32)
        case rstStream(id: UInt32, status: UInt32)
        case ping(id: UInt32)
        case goAway(lastGood: UInt32, status: UInt32)
        case data(id: UInt32, fin: Bool, payload: [UInt8])
        /// SETTINGS, HEADERS, WINDOW_UPDATE and the like: nothing to do.
        case other(type: UInt16)
    }

    enum Failure: Error, Equatable { case badVersion(UInt16), tooLarge, malformed }

    /// The largest frame payload accepted (kubectl writes at most 32 KiB of data a frame).
    let maxPayload: Int
    private var buffer: [UInt8] = []

    init(maxPayload: Int = 1 << 20) { self.maxPayload = maxPayload }

    mutating func feed<S: Sequence>(_ bytes: S) throws(Failure) -> [Frame] where S.Element == UInt8 {
        buffer.append(contentsOf: bytes)
        var frames: [Frame] = []
        var at = 0
        while buffer.count - at >= 8 {
            let b = buffer
            let length = Int(b[at + 5]) << 16 | Int(b[at + 6]) << 8 | Int(b[at + 7])
            guard length <= maxPayload else { throw .tooLarge }
            guard b.count - at - 8 >= length else { break }
            let flags = b[at + 4]
            let payload = Array(b[at + 8..<at + 8 + length])
            if b[at] & 0x80 != 0 {
                let version = UInt16(b[at] & 0x7f) << 8 | UInt16(b[at + 1])
                guard version == 3 else { throw .badVersion(version) }
                let type = UInt16(b[at + 2]) << 8 | UInt16(b[at + 3])
                frames.append(try Self.control(type, flags, payload))
            } else {
                frames.append(.data(id: Self.u32(b, at) & 0x7fff_ffff, fin: flags & 1 != 0, payload: payload))
            }
            at += 8 + length
        }
        buffer.removeFirst(at)
        return frames
    }

    private static func control(_ type: UInt16, _ flags: UInt8, _ p: [UInt8]) throws(Failure) -> Frame {
        switch type {
        case 1:
            guard p.count >= 10 else { throw .malformed }
            return .synStream(id: u32(p, 0) & 0x7fff_ffff, fin: flags & 1 != 0, headerBlock: Array(p[10...]))
        case 2:
            guard p.count >= 4 else { throw .malformed }
            return .synReply(id: u32(p, 0) & 0x7fff_ffff)
        case 3:
            guard p.count >= 8 else { throw .malformed }
            return .rstStream(id: u32(p, 0) & 0x7fff_ffff, status: u32(p, 4))
        case 6:
            guard p.count >= 4 else { throw .malformed }
            return .ping(id: u32(p, 0))
        case 7:
            guard p.count >= 4 else { throw .malformed }
            return .goAway(lastGood: u32(p, 0) & 0x7fff_ffff, status: p.count >= 8 ? u32(p, 4) : 0)
        default:
            return .other(type: type)
        }
    }

    static func u32(_ b: [UInt8], _ at: Int) -> UInt32 {
        UInt32(b[at]) << 24 | UInt32(b[at + 1]) << 16 | UInt32(b[at + 2]) << 8 | UInt32(b[at + 3])
    }
}

/// SPDY/3.1 frames the server writes.
enum SPDYFrame {
    static let cancel: UInt32 = 5

    static func synReply(id: UInt32, headerBlock: [UInt8]) -> [UInt8] { control(2, flags: 0, be32(id) + headerBlock) }

    static func rstStream(id: UInt32, status: UInt32) -> [UInt8] { control(3, flags: 0, be32(id) + be32(status)) }

    static func ping(id: UInt32) -> [UInt8] { control(6, flags: 0, be32(id)) }

    static func goAway(lastGood: UInt32) -> [UInt8] { control(7, flags: 0, be32(lastGood) + be32(0)) }

    static func data(id: UInt32, fin: Bool = false, _ payload: some Collection<UInt8>) -> [UInt8] {
        be32(id & 0x7fff_ffff) + [fin ? 1 : 0] + be24(payload.count) + payload
    }

    private static func control(_ type: UInt8, flags: UInt8, _ payload: [UInt8]) -> [UInt8] {
        [0x80, 0x03, 0x00, type, flags] + be24(payload.count) + payload
    }

    static func be32(_ n: UInt32) -> [UInt8] { [UInt8(n >> 24), UInt8(n >> 16 & 0xff), UInt8(n >> 8 & 0xff), UInt8(n & 0xff)] }

    private static func be24(_ n: Int) -> [UInt8] { [UInt8(n >> 16 & 0xff), UInt8(n >> 8 & 0xff), UInt8(n & 0xff)] }
}
