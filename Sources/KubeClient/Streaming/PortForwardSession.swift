import Foundation
import NIOCore
import Synchronization

/// One port-forward connection to a pod, as client-go's PortForwarder drives it: per local
/// connection, an `error` and a `data` stream with the pod's `port` and a fresh `requestid`;
/// the local bytes go on the data stream (its FIN when the local side ends), the pod's come
/// back on it, and the error stream, empty on success, says what went wrong. An error there
/// ends the whole session ("lost connection to pod"), as it does kubectl's.
final class PortForwardSession: Sendable {
    let writer: StreamWriter
    let transport: SPDYTransport
    let log: PortForwarder.Output
    private let headers: Mutex<SPDYHeaderWriter>
    private let opening = AsyncLock()
    private let state = Mutex(State())

    private struct State {
        var nextStream: UInt32 = 1
        var nextRequest = 0
        var streams: [UInt32: Entry] = [:]
    }

    private struct Entry {
        let pair: StreamPair
        let isError: Bool
    }

    init(writer: StreamWriter, transport: SPDYTransport, log: PortForwarder.Output) throws {
        self.writer = writer
        self.transport = transport
        self.log = log
        headers = Mutex(try SPDYHeaderWriter())
    }

    func send(_ frame: [UInt8]) async throws { try await writer.write(transport.wrap(frame)) }

    /// Reads the connection until it ends; then every stream still open ends too.
    func read(_ connection: UpgradedStream) async {
        var websocket = WebSocketClient()
        var spdy = SPDYClientFrames()
        reading: while let bytes = try? await connection.read() {
            var stream = bytes
            if transport == .tunnel {
                guard let events = try? websocket.feed(bytes) else { break }
                stream = []
                for event in events {
                    switch event {
                    case .message(let payload): stream += payload
                    case .ping(let data): try? await writer.write(WebSocketClient.frame(opcode: WebSocketClient.pong, data))
                    case .close: break reading
                    }
                }
            }
            guard let frames = try? spdy.feed(stream) else { break }
            for frame in frames {
                switch frame {
                case .data(let id, let fin, let payload): await deliver(id, payload, fin: fin)
                case .rstStream(let id): await deliver(id, [], fin: true)
                case .ping(let echo): try? await send(echo)
                case .goAway: break reading
                case .other: continue
                }
            }
        }
        for entry in state.withLock({ s in defer { s.streams = [:] }; return Array(s.streams.values) }) {
            entry.pair.remoteDone.fulfil(())
            entry.pair.errorMessage.fulfil([])
        }
    }

    private func deliver(_ id: UInt32, _ payload: [UInt8], fin: Bool) async {
        guard let entry = state.withLock({ $0.streams[id] }) else { return }
        if entry.isError {
            entry.pair.error.withLock { e in
                let room = max(0, 64 * 1024 - e.count)
                e += payload.prefix(room)
            }
            if fin { entry.pair.errorMessage.fulfil(entry.pair.error.withLock { $0 }) }
            return
        }
        // The pod's bytes wait until the local client takes them (TCP back-pressure).
        if !payload.isEmpty { try? await entry.pair.local.write(ByteBuffer(bytes: payload)) }
        if fin { entry.pair.remoteDone.fulfil(()) }
    }

    /// Serves one accepted local connection until the pod's side of it is done.
    func handle(_ local: NIOAsyncChannel<ByteBuffer, ByteBuffer>, _ port: ForwardedPort) async {
        log.out("Handling connection for \(port.local)\n")
        try? await local.executeThenClose { inbound, outbound in
            let pair = StreamPair(local: outbound)
            let (errorID, dataID) = try await open(pair, port: port.remote)
            defer { state.withLock { s in s.streams[errorID] = nil; s.streams[dataID] = nil } }
            await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for try await chunk in inbound {
                        for part in chunk.readableBytesView.slices(of: 32 * 1024) { try await self.send(SPDYClientFrames.data(id: dataID, part)) }
                    }
                    // The local side is done sending: so is the data stream.
                    try await self.send(SPDYClientFrames.data(id: dataID, fin: true, []))
                }
                await pair.remoteDone.wait()
                group.cancelAll()
                try? await group.waitForAll()
            }
            let message = await pair.errorMessage.wait()
            try? await send(SPDYClientFrames.cancel(id: dataID))
            if !message.isEmpty {
                log.error("an error occurred forwarding \(port.local) -> \(port.remote): \(String(decoding: message, as: UTF8.self))")
                await close()
            }
        }
    }

    /// Creates the pair's streams (error first, then data, as client-go does); the error
    /// stream is finished at once: nothing is written on it.
    private func open(_ pair: StreamPair, port: UInt16) async throws -> (UInt32, UInt32) {
        try await opening.withLock {
            let (errorID, dataID, request) = state.withLock { s in
                defer { s.nextStream += 4; s.nextRequest += 1 }
                s.streams[s.nextStream] = Entry(pair: pair, isError: true)
                s.streams[s.nextStream + 2] = Entry(pair: pair, isError: false)
                return (s.nextStream, s.nextStream + 2, s.nextRequest)
            }
            // Header blocks share one compression stream: made and written in this order.
            for (id, type) in [(errorID, "error"), (dataID, "data")] {
                let block = try headers.withLock { try $0.block([("streamtype", type), ("port", String(port)), ("requestid", String(request))]) }
                try await send(SPDYClientFrames.synStream(id: id, headerBlock: block))
                if type == "error" { try await send(SPDYClientFrames.data(id: errorID, fin: true, [])) }
            }
            return (errorID, dataID)
        }
    }

    /// Ends the connection (GOAWAY, then the socket), which ends `read`.
    func close() async {
        try? await writer.write(transport.wrap(SPDYClientFrames.goAway(lastGood: 0)))
        writer.close()
    }
}

/// The two streams of one forwarded local connection.
final class StreamPair: Sendable {
    let local: NIOAsyncChannelOutboundWriter<ByteBuffer>
    let remoteDone = OneShot<Void>()
    let errorMessage = OneShot<[UInt8]>()
    let error = Mutex<[UInt8]>([])

    init(local: NIOAsyncChannelOutboundWriter<ByteBuffer>) { self.local = local }
}

extension Collection {
    /// Consecutive slices of at most `count` elements.
    func slices(of count: Int) -> [SubSequence] {
        var out: [SubSequence] = []
        var start = startIndex
        while start != endIndex {
            let end = index(start, offsetBy: count, limitedBy: endIndex) ?? endIndex
            out.append(self[start..<end])
            start = end
        }
        return out
    }
}
