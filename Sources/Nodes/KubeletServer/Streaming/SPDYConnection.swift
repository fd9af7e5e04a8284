import Foundation
import Synchronization

/// The server side of a SPDY/3.1 connection as moby/spdystream's peer: every stream the client
/// opens is accepted (SYN_REPLY with an empty header block), pings are echoed, and the rest is
/// handed to the session (exec or port-forward) as events.
final class SPDYConnection: Sendable {
    enum Event {
        case opened(id: UInt32, headers: [String: [String]])
        case data(id: UInt32, fin: Bool, payload: [UInt8])
        case reset(id: UInt32)
    }

    let transport: any StreamTransport
    /// Our header blocks share one compression context for the connection.
    private let deflater: Mutex<SPDYHeaderCompression>

    init(transport: any StreamTransport) throws {
        self.transport = transport
        deflater = Mutex(try SPDYHeaderCompression(inflating: false))
    }

    /// Reads until the client goes away, sends GOAWAY or breaks the protocol, or `handle`
    /// answers false.
    func serve(_ handle: (Event) async -> Bool) async {
        guard let inflater = try? SPDYHeaderCompression(inflating: true) else { return }
        var reader = SPDYFrameReader()
        while let bytes = await transport.read() {
            guard let frames = try? reader.feed(bytes) else { return }
            for frame in frames {
                let event: Event
                switch frame {
                case .synStream(let id, _, let block):
                    guard let headers = try? inflater.decode(block), let reply = try? deflater.withLock({ try $0.encode([]) }) else { return }
                    do { try await transport.write(SPDYFrame.synReply(id: id, headerBlock: reply)) } catch { return }
                    event = .opened(id: id, headers: headers)
                case .data(let id, let fin, let payload):
                    event = .data(id: id, fin: fin, payload: payload)
                case .rstStream(let id, _):
                    event = .reset(id: id)
                case .ping(let id):
                    try? await transport.write(SPDYFrame.ping(id: id))
                    continue
                case .goAway:
                    return
                case .synReply, .other:
                    continue
                }
                guard await handle(event) else { return }
            }
        }
    }

    func send(_ id: UInt32, fin: Bool = false, _ bytes: [UInt8]) async throws {
        try await transport.write(SPDYFrame.data(id: id, fin: fin, bytes))
    }

    /// From a thread that may block: waits until the socket takes the frame.
    func sendBlocking(_ id: UInt32, fin: Bool = false, _ bytes: some Collection<UInt8>) throws {
        try transport.writeBlocking(SPDYFrame.data(id: id, fin: fin, bytes))
    }
}
