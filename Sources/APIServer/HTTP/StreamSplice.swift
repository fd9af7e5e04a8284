import Foundation
import NIOCore

/// One end of a byte splice between two connections on the same event loop (the client's,
/// taken over after its upgrade, and the kubelet's), as Go's UpgradeAwareHandler copies both
/// ways once the backend has switched protocols. Back-pressure: an end reads only while its
/// partner can write. Either end closing closes the other; a half-close is passed on.
///
/// On the kubelet's end it first collects the kubelet's answer to the upgrade request (`head`)
/// and holds the bytes that follow it until the client's end is joined.
final class StreamSplice: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// The kubelet's answer: status code, the head's bytes, and any body bytes after it.
    struct Answer {
        var code: Int
        var head: ByteBuffer
        var rest: ByteBuffer
    }

    private var partner: StreamSplice?
    private var context: ChannelHandlerContext?
    private var pendingRead = false
    /// Bytes read before a partner was joined.
    private var held = ByteBuffer()
    private var headWaiter: EventLoopPromise<Answer>?
    /// The most a kubelet's head (and an error body) may take.
    static let headLimit = 64 * 1024

    init(head: EventLoopPromise<Answer>? = nil) { headWaiter = head }

    /// Joins the two ends; the kubelet's end hands on what it held. On the event loop.
    static func join(_ a: StreamSplice, _ b: StreamSplice) {
        a.partner = b
        b.partner = a
        for end in [a, b] where end.held.readableBytes > 0 {
            let bytes = end.held
            end.held.clear()
            end.partner?.partnerWrite(bytes)
            end.partner?.partnerFlush()
        }
        for end in [a, b] { if let context = end.context { end.read(context: context) } }
    }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        partner = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        if let partner {
            partner.partnerWrite(bytes)
            return
        }
        held.writeBuffer(&bytes)
        if let waiter = headWaiter { answerIfComplete(waiter, context) }
    }

    /// Reads are asked for here, not left to the handlers behind (on the client's connection,
    /// Hummingbird's request stream, which no longer consumes and so would hold them back).
    func channelReadComplete(context: ChannelHandlerContext) {
        partner?.partnerFlush()
        read(context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        headWaiter?.fail(ChannelError.eof)
        headWaiter = nil
        partner?.partnerClose()
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let e = event as? ChannelEvent, e == .inputClosed { partner?.partnerWriteEOF() }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        headWaiter?.fail(error)
        headWaiter = nil
        partner?.partnerClose()
        context.close(promise: nil)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { partner?.partnerBecameWritable() }
        context.fireChannelWritabilityChanged()
    }

    /// Reads wait until a partner exists and can take what is read.
    func read(context: ChannelHandlerContext) {
        if headWaiter != nil { return context.read() }
        if let partner, partner.isWritable { context.read() } else { pendingRead = true }
    }

    /// A complete head (and, for an answer other than 101, its Content-Length body) fulfils
    /// the waiter; what follows a 101 stays held for the client.
    private func answerIfComplete(_ waiter: EventLoopPromise<Answer>, _ context: ChannelHandlerContext) {
        let view = held.readableBytesView
        guard let end = Self.headEnd(view) else {
            if held.readableBytes > Self.headLimit { fail(waiter, context) }
            return
        }
        guard let head = held.getSlice(at: held.readerIndex, length: end),
              let line = head.getString(at: head.readerIndex, length: min(head.readableBytes, 16)),
              line.hasPrefix("HTTP/1."), line.count >= 12, let code = Int(line.dropFirst(9).prefix(3)) else { return fail(waiter, context) }
        if code != 101 {
            let length = Self.contentLength(head) ?? 0
            guard length <= Self.headLimit else { return fail(waiter, context) }
            guard held.readableBytes - end >= length else { return }
        }
        headWaiter = nil
        held.moveReaderIndex(forwardBy: end)
        var rest = ByteBuffer()
        if code != 101 {
            rest = held
            held.clear()
        }
        waiter.succeed(Answer(code: code, head: head, rest: rest))
    }

    private func fail(_ waiter: EventLoopPromise<Answer>, _ context: ChannelHandlerContext) {
        headWaiter = nil
        waiter.fail(ChannelError.inappropriateOperationForState)
        context.close(promise: nil)
    }

    /// The offset just past the head's blank line.
    static func headEnd(_ bytes: ByteBufferView) -> Int? {
        let b = Array(bytes)
        guard b.count >= 4 else { return nil }
        for i in 0...(b.count - 4) where b[i] == 13 && b[i + 1] == 10 && b[i + 2] == 13 && b[i + 3] == 10 { return i + 4 }
        return nil
    }

    static func contentLength(_ head: ByteBuffer) -> Int? {
        let text = head.getString(at: head.readerIndex, length: head.readableBytes) ?? ""
        for line in text.split(separator: "\r\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "content-length" { return Int(parts[1].trimmingCharacters(in: .whitespaces)) }
        }
        return nil
    }

    // MARK: what the partner calls (on the shared event loop)

    private var isWritable: Bool { context?.channel.isWritable ?? false }

    func partnerWrite(_ bytes: ByteBuffer) { context?.write(wrapOutboundOut(bytes), promise: nil) }

    /// Writes bytes of its own (the kubelet's 101 head) and sends them at once.
    func writeAndFlush(_ bytes: ByteBuffer) { context?.writeAndFlush(wrapOutboundOut(bytes), promise: nil) }

    private func partnerFlush() { context?.flush() }

    private func partnerWriteEOF() { context?.close(mode: .output, promise: nil) }

    private func partnerClose() { context?.close(promise: nil) }

    private func partnerBecameWritable() {
        guard pendingRead, let context else { return }
        pendingRead = false
        context.read()
    }
}
