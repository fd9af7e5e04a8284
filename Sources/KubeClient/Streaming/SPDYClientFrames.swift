import CZlib
import Foundation

/// SPDY/3.1 as moby/spdystream speaks it for client-go's port-forward, the client's side:
/// control frames `80 03 <type:2> <flags:1> <length:3>`, data frames `<stream-id:4> <flags:1>
/// <length:3>`, flag 01 FIN; client streams have odd ids. Frames are read from a byte stream
/// whatever the boundaries of the reads (or WebSocket messages) that carry it.
public struct SPDYClientFrames {
    public enum Frame: Equatable {
        case data(id: UInt32, fin: Bool, payload: [UInt8])
        case rstStream(id: UInt32)
        case ping([UInt8])
        case goAway
        /// SYN_REPLY, SETTINGS, WINDOW_UPDATE and the like: nothing to do for a client that
        /// reads no reply headers.
        case other
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// The largest frame accepted (the kubelet writes 32 KiB of data at most).
    let maxPayload: Int
    private var buffer: [UInt8] = []

    public init(maxPayload: Int = 1 << 20) { self.maxPayload = maxPayload }

    public mutating func feed(_ bytes: [UInt8]) throws -> [Frame] {
        buffer += bytes
        var frames: [Frame] = []
        var at = 0
        while buffer.count - at >= 8 {
            let b = buffer
            let length = Int(b[at + 5]) << 16 | Int(b[at + 6]) << 8 | Int(b[at + 7])
            guard length <= maxPayload else { throw Failure(description: "spdy: frame of \(length) bytes is too large") }
            guard b.count - at - 8 >= length else { break }
            let payload = Array(b[(at + 8)..<(at + 8 + length)])
            if b[at] & 0x80 != 0 {
                guard b[at] & 0x7f == 0, b[at + 1] == 3 else { throw Failure(description: "spdy: unsupported version") }
                switch UInt16(b[at + 2]) << 8 | UInt16(b[at + 3]) {
                case 3 where payload.count >= 4: frames.append(.rstStream(id: Self.u32(payload) & 0x7fff_ffff))
                case 6: frames.append(.ping(Array(b[at..<(at + 8 + length)])))
                case 7: frames.append(.goAway)
                default: frames.append(.other)
                }
            } else {
                frames.append(.data(id: Self.u32(Array(b[at..<(at + 4)])) & 0x7fff_ffff, fin: b[at + 4] & 1 != 0, payload: payload))
            }
            at += 8 + length
        }
        buffer.removeFirst(at)
        return frames
    }

    static func u32(_ b: [UInt8]) -> UInt32 { UInt32(b[0]) << 24 | UInt32(b[1]) << 16 | UInt32(b[2]) << 8 | UInt32(b[3]) }

    static func be(_ n: UInt32, bytes: Int = 4) -> [UInt8] { (0..<bytes).reversed().map { UInt8(n >> (8 * UInt32($0)) & 0xff) } }

    /// SYN_STREAM: id, no associated stream, priority 0, and the compressed header block.
    public static func synStream(id: UInt32, headerBlock: [UInt8]) -> [UInt8] {
        control(1, be(id) + be(0) + [0, 0] + headerBlock)
    }

    public static func data(id: UInt32, fin: Bool = false, _ payload: some Collection<UInt8>) -> [UInt8] {
        be(id & 0x7fff_ffff) + [fin ? 1 : 0] + be(UInt32(payload.count), bytes: 3) + payload
    }

    /// RST_STREAM with status CANCEL (5), as client-go resets the streams it is done with.
    public static func cancel(id: UInt32) -> [UInt8] { control(3, be(id) + be(5)) }

    public static func goAway(lastGood: UInt32) -> [UInt8] { control(7, be(lastGood) + be(0)) }

    private static func control(_ type: UInt8, _ payload: [UInt8]) -> [UInt8] {
        [0x80, 0x03, 0x00, type, 0] + be(UInt32(payload.count), bytes: 3) + payload
    }
}

/// The header blocks a client writes: `count:4` then `len:4 name len:4 value` pairs, zlib-
/// compressed in one stream for the connection, each block ended by a sync flush. SPDY/3
/// seeds that stream with a dictionary; the blocks here carry no preset dictionary, which a
/// zlib reader (Go's spdystream, kplane's kubelet) reads as it is. One instance per connection,
/// used by one task at a time.
public final class SPDYHeaderWriter {
    private let stream: UnsafeMutablePointer<z_stream>

    public init() throws {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        guard kp_deflate_init(stream, Z_DEFAULT_COMPRESSION) == Z_OK else {
            stream.deallocate()
            throw SPDYClientFrames.Failure(description: "spdy: zlib initialization failed")
        }
    }

    deinit {
        deflateEnd(stream)
        stream.deallocate()
    }

    public func block(_ headers: [(String, String)]) throws -> [UInt8] {
        var plain = SPDYClientFrames.be(UInt32(headers.count))
        for (name, value) in headers {
            plain += SPDYClientFrames.be(UInt32(name.utf8.count)) + Array(name.lowercased().utf8)
            plain += SPDYClientFrames.be(UInt32(value.utf8.count)) + Array(value.utf8)
        }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        var rc: Int32 = Z_OK
        plain.withUnsafeMutableBufferPointer { input in
            stream.pointee.next_in = input.baseAddress
            stream.pointee.avail_in = UInt32(input.count)
            repeat {
                let produced = chunk.withUnsafeMutableBufferPointer { output -> Int in
                    stream.pointee.next_out = output.baseAddress
                    stream.pointee.avail_out = UInt32(output.count)
                    rc = deflate(stream, Z_SYNC_FLUSH)
                    return output.count - Int(stream.pointee.avail_out)
                }
                out += chunk[0..<produced]
            } while rc == Z_OK && stream.pointee.avail_out == 0
            stream.pointee.next_in = nil
        }
        guard rc == Z_OK || rc == Z_BUF_ERROR else { throw SPDYClientFrames.Failure(description: "spdy: zlib error \(rc)") }
        return out
    }
}
