import Foundation
import NIOCore
import Synchronization

/// The byte stream a SPDY session runs over: the upgraded connection itself (kubectl 1.27-1.30),
/// or the binary messages of a WebSocket (`SPDY/3.1+portforward.k8s.io`, kubectl 1.31 and
/// later), whose boundaries mean nothing: one SPDY frame may span many messages.
protocol StreamTransport: Sendable {
    /// The next bytes; nil once the peer has closed.
    func read() async -> [UInt8]?
    func write(_ bytes: [UInt8]) async throws
    /// From a thread that may block: waits until the socket takes the bytes.
    func writeBlocking(_ bytes: [UInt8]) throws
    func close()
}

/// SPDY straight on the upgraded connection.
struct RawTransport: StreamTransport {
    let connection: UpgradedConnection

    func read() async -> [UInt8]? { await connection.next().map { Array($0.readableBytesView) } }
    func write(_ bytes: [UInt8]) async throws { try await connection.write(ByteBuffer(bytes: bytes)) }
    func writeBlocking(_ bytes: [UInt8]) throws { try connection.writeBlocking(ByteBuffer(bytes: bytes)) }
    func close() { connection.close() }
}

/// A byte stream tunnelled in WebSocket binary messages (client-go's TunnelingConnection): the
/// payloads in order; pings answered; a close frame (or the TCP connection's end) ends it.
final class WebSocketTunnel: StreamTransport {
    let connection: UpgradedConnection
    private let frames = Mutex(WebSocketFrameReader())

    init(_ connection: UpgradedConnection) { self.connection = connection }

    func read() async -> [UInt8]? {
        while let chunk = await connection.next() {
            let events: [WebSocketFrameReader.Event]
            do { events = try frames.withLock { try $0.feed(chunk.readableBytesView) } } catch { return nil }
            var bytes: [UInt8] = []
            for event in events {
                switch event {
                case .message(_, let payload): bytes += payload
                case .ping(let data): try? await connection.write(ByteBuffer(bytes: WebSocketFrame.encode(opcode: WebSocketFrame.pong, data)))
                case .pong: continue
                case .close:
                    try? await connection.write(ByteBuffer(bytes: WebSocketFrame.closeFrame(1000)))
                    return bytes.isEmpty ? nil : bytes
                }
            }
            if !bytes.isEmpty { return bytes }
        }
        return nil
    }

    func write(_ bytes: [UInt8]) async throws {
        try await connection.write(ByteBuffer(bytes: WebSocketFrame.encode(opcode: WebSocketFrame.binary, bytes)))
    }

    func writeBlocking(_ bytes: [UInt8]) throws {
        try connection.writeBlocking(ByteBuffer(bytes: WebSocketFrame.encode(opcode: WebSocketFrame.binary, bytes)))
    }

    func close() { connection.close() }
}
