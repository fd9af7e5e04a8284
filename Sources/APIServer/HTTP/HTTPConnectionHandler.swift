import NIOCore
import NIOHTTPTypes

/// What kube-apiserver's Go HTTP server does for a connection beyond HTTP itself: malformed
/// requests get a `kind: Status` (`MalformedRequests`), idle connections and slow headers are
/// closed (`ConnectionDeadlines`). One handler for both, so each request part crosses one extra
/// pipeline stage (and one type cast), not two.
final class HTTPConnectionHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// Requests whose head has arrived and whose response has not ended.
    private var inFlight = 0
    /// The last request's head has arrived but not its end.
    private var readingBody = false
    private let malformed = MalformedRequests()
    /// A CONNECT arrived: it and the rest of the connection's input are not passed on.
    private var swallowing = false
    private let deadlines: ConnectionDeadlines

    init(readHeader: TimeAmount, idle: TimeAmount) {
        deadlines = ConnectionDeadlines(readHeader: readHeader, idle: idle)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { deadlines.wait(.head, context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        if deadlines.waiting == .none && inFlight == 0 { deadlines.wait(.head, context) }
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) { deadlines.stop() }

    func channelInactive(context: ChannelHandlerContext) {
        deadlines.stop()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        if case .head(let head) = part, head.method == .connect { swallowing = true }
        if swallowing {
            // A CONNECT and whatever follows it on this connection stay here.
            if case .head = part { malformed.rejectConnect(context, inFlight: inFlight) }
            return
        }
        switch part {
        case .head:
            inFlight += 1
            readingBody = true
            deadlines.wait(.body, context)
        case .body:
            deadlines.bodyArrived()
        case .end:
            readingBody = false
            deadlines.cancel()
        }
        context.fireChannelRead(data)
    }

    /// Bytes arrived: on an idle connection they start the next request's header deadline.
    func channelReadComplete(context: ChannelHandlerContext) {
        if deadlines.waiting == .idle { deadlines.wait(.head, context) }
        context.fireChannelReadComplete()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard case .end = unwrapOutboundIn(data) else { return context.write(data, promise: promise) }
        context.write(data, promise: promise)
        inFlight -= 1
        if inFlight == 0 && !readingBody { deadlines.wait(.idle, context) }
        malformed.responseEnded(context, inFlight: inFlight)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if !malformed.errorCaught(context, error, inFlight: inFlight, readingBody: readingBody) {
            context.fireErrorCaught(error)
        }
    }
}
