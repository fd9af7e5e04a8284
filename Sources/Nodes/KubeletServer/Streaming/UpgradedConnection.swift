import Foundation
import NIOCore
import Synchronization

/// An HTTP connection taken over after its request, as Go's `http.Hijacker` does: a handler put
/// first in the pipeline sees every later byte before the HTTP decoder can, and writes from
/// there reach the socket without the HTTP encoder. Hummingbird's handlers stay in place and see
/// nothing more; the connection ends when `close` is called or the peer goes.
///
/// Inbound bytes wait in a queue of at most `limit` bytes: above it the handler stops asking
/// the socket for more (TCP back-pressure) until `next` has taken them.
final class UpgradedConnection: Sendable {
    static let limit = 1 << 20

    private let handler: NIOLoopBound<TakeoverHandler>
    private let eventLoop: any EventLoop
    private let state: Mutex<Inbound>

    private struct Inbound {
        var chunks: [ByteBuffer] = []
        var bytes = 0
        var ended = false
        var waiter: CheckedContinuation<ByteBuffer?, Never>?
    }

    /// Puts the takeover handler first in `channel`'s pipeline (on its event loop).
    static func takeOver(_ channel: any Channel) async throws -> UpgradedConnection {
        try await channel.eventLoop.submit {
            let handler = TakeoverHandler(eventLoop: channel.eventLoop)
            let connection = UpgradedConnection(handler: handler, eventLoop: channel.eventLoop)
            handler.connection = connection
            try channel.pipeline.syncOperations.addHandler(handler, position: .first)
            return connection
        }.get()
    }

    private init(handler: TakeoverHandler, eventLoop: any EventLoop) {
        self.handler = NIOLoopBound(handler, eventLoop: eventLoop)
        self.eventLoop = eventLoop
        state = Mutex(Inbound())
    }

    /// The next bytes from the peer; nil once it has closed (or the connection was closed).
    func next() async -> ByteBuffer? {
        await withCheckedContinuation { (c: CheckedContinuation<ByteBuffer?, Never>) in
            let taken = state.withLock { s -> (chunk: ByteBuffer?, resume: Bool)? in
                if !s.chunks.isEmpty {
                    let chunk = s.chunks.removeFirst()
                    let wasOver = s.bytes >= Self.limit
                    s.bytes -= chunk.readableBytes
                    return (chunk, wasOver && s.bytes < Self.limit)
                }
                if s.ended { return (nil, false) }
                s.waiter = c
                return nil
            }
            guard let taken else { return }
            if taken.resume { resumeReading() }
            c.resume(returning: taken.chunk)
        }
    }

    /// Writes and flushes; returns once the bytes are handed to the socket.
    func write(_ bytes: ByteBuffer) async throws {
        try await eventLoop.flatSubmit { [handler] in handler.value.write(bytes) }.get()
    }

    /// Writes from a thread that may block (not an event loop): waits for the socket to take
    /// the bytes, so a slow peer slows the writer.
    func writeBlocking(_ bytes: ByteBuffer) throws {
        try eventLoop.flatSubmit { [handler] in handler.value.write(bytes) }.wait()
    }

    func close() {
        eventLoop.execute { [handler] in handler.value.close() }
    }

    private func resumeReading() {
        eventLoop.execute { [handler] in handler.value.resumeReading() }
    }

    /// Called on the event loop by the handler.
    fileprivate func received(_ chunk: ByteBuffer?) -> Bool {
        let (waiter, over) = state.withLock { s -> (CheckedContinuation<ByteBuffer?, Never>?, Bool) in
            if let w = s.waiter {
                s.waiter = nil
                if chunk == nil { s.ended = true }
                return (w, false)
            }
            if let chunk {
                s.chunks.append(chunk)
                s.bytes += chunk.readableBytes
            } else {
                s.ended = true
            }
            return (nil, s.bytes >= Self.limit)
        }
        waiter?.resume(returning: chunk)
        return over
    }
}

/// The first handler of a taken-over connection: bytes in go to the connection's queue, never
/// further down the pipeline.
private final class TakeoverHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = Any
    typealias OutboundOut = ByteBuffer

    weak var connection: UpgradedConnection?
    let eventLoop: any EventLoop
    private var closed = false
    private var context: ChannelHandlerContext?
    private var paused = false
    private var pendingRead = false
    private var ended = false

    init(eventLoop: any EventLoop) { self.eventLoop = eventLoop }

    /// Reads are asked for here: the handlers behind this one (Hummingbird's request stream)
    /// no longer consume, so their back-pressure would hold reads back forever.
    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        context.read()
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if paused { pendingRead = true } else { context.read() }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !ended else { return }
        if connection?.received(unwrapInboundIn(data)) == true { paused = true }
    }

    func channelInactive(context: ChannelHandlerContext) {
        closed = true
        end()
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let e = event as? ChannelEvent, e == .inputClosed { end() }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        end()
        context.close(promise: nil)
    }

    /// Reads wait while the queue is full.
    func read(context: ChannelHandlerContext) {
        if paused { pendingRead = true } else { context.read() }
    }

    func write(_ bytes: ByteBuffer) -> EventLoopFuture<Void> {
        guard let context, !closed else { return eventLoop.makeFailedFuture(ChannelError.ioOnClosedChannel) }
        return context.writeAndFlush(wrapOutboundOut(bytes))
    }

    func resumeReading() {
        paused = false
        if pendingRead, let context {
            pendingRead = false
            context.read()
        }
    }

    func close() { context?.close(promise: nil) }

    private func end() {
        guard !ended else { return }
        ended = true
        _ = connection?.received(nil)
    }
}
