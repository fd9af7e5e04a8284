import KubeModel
import NIOCore
import NIOHTTP1
import NIOPosix

/// What an upstream connection reports to the request using it, on their shared event loop.
protocol IngressUpstreamDelegate: AnyObject {
    func upstreamHead(_ head: HTTPResponseHead)
    func upstreamBody(_ bytes: ByteBuffer)
    /// The answer is complete; `reusable`: the connection may serve another request.
    func upstreamEnd(reusable: Bool)
    func upstreamReadComplete()
    /// The connection failed or closed before the answer was complete; `answered`: some of it
    /// had arrived.
    func upstreamFailed(answered: Bool)
    /// Nothing arrived for the read timeout.
    func upstreamSilent()
}

/// One HTTP/1.1 connection to an endpoint, one request at a time. It reads only when asked
/// (`autoRead` off), so a client that reads slowly slows the endpoint down instead of filling
/// memory; unused in the pool it keeps one read pending to notice the endpoint closing it.
final class IngressUpstream: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    let endpoint: ServiceEndpoint
    let pool: IngressUpstreamPool
    private var delegate: (any IngressUpstreamDelegate)?
    private var context: ChannelHandlerContext?
    private var requests = 0
    private var answered = false
    private var keepAlive = true

    init(endpoint: ServiceEndpoint, pool: IngressUpstreamPool) {
        self.endpoint = endpoint
        self.pool = pool
    }

    /// Opens a connection to `endpoint` on `loop` (proxy-connect-timeout 5s).
    static func connect(_ endpoint: ServiceEndpoint, on loop: any EventLoop, pool: IngressUpstreamPool, timeout: TimeAmount) -> EventLoopFuture<any Channel> {
        let address: SocketAddress
        do { address = try SocketAddress(ipAddress: endpoint.ip, port: endpoint.port) } catch { return loop.makeFailedFuture(error) }
        return ClientBootstrap(group: loop)
            .connectTimeout(IngressProxy.connectTimeout)
            .channelOption(.autoRead, value: false)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    try sync.addHTTPClientHandlers()
                    try sync.addHandler(IdleStateHandler(allTimeout: timeout))
                    try sync.addHandler(IngressUpstream(endpoint: endpoint, pool: pool))
                }
            }
            .connect(to: address)
    }

    /// Sends one request; what comes back goes to `delegate`.
    func send(_ head: HTTPRequestHead, body: ByteBuffer?, to delegate: any IngressUpstreamDelegate) {
        guard let context, context.channel.isActive else { return delegate.upstreamFailed(answered: false) }
        self.delegate = delegate
        requests += 1
        answered = false
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if let body { context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil) }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        context.read()
    }

    /// Reads what the endpoint sent next (after the client took the last of it).
    func read() { context?.read() }

    /// The request gave up on this connection (it is being closed): report nothing more.
    func detach() { delegate = nil }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }
    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let delegate else {
            // Bytes nobody asked for: the connection is out of step; drop it.
            context.close(promise: nil)
            return
        }
        switch unwrapInboundIn(data) {
        case .head(let head):
            // nginx does not pass interim (1xx) answers on.
            guard head.status.code >= 200 else { return }
            answered = true
            keepAlive = head.isKeepAlive
            delegate.upstreamHead(head)
        case .body(let bytes):
            delegate.upstreamBody(bytes)
        case .end:
            guard answered else { return }
            self.delegate = nil
            delegate.upstreamEnd(reusable: keepAlive && requests < IngressUpstreamPool.maxRequests && context.channel.isActive)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) { delegate?.upstreamReadComplete() }

    func channelInactive(context: ChannelHandlerContext) {
        pool.remove(context.channel, endpoint)
        fail()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
        fail()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is IdleStateHandler.IdleStateEvent else { return context.fireUserInboundEventTriggered(event) }
        if let delegate { delegate.upstreamSilent() } else { context.close(promise: nil) }
    }

    private func fail() {
        let delegate = self.delegate
        self.delegate = nil
        delegate?.upstreamFailed(answered: answered)
    }
}
