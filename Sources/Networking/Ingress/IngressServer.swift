import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// The Ingress controller's listener: HTTP/1.1 with keep-alive (nginx's keepalive_timeout 75 s),
/// optionally TLS, each connection served by an `IngressConnection` on its event loop.
public struct IngressServer: Sendable {
    public let proxy: IngressProxy
    /// Set for the HTTPS listener.
    public let tls: NIOSSLContext?
    static let keepAliveTimeout = TimeAmount.seconds(75)

    public init(proxy: IngressProxy, tls: NIOSSLContext? = nil) {
        self.proxy = proxy
        self.tls = tls
    }

    /// Listens on `host:port` until cancelled; `onBound` gets the bound port (for port 0).
    public func run(host: String, port: Int, onBound: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let tls = self.tls, proxy = self.proxy
        let scheme = tls == nil ? "http" : "https"
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 512)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    if let tls { try sync.addHandler(NIOSSLServerHandler(context: tls)) }
                    try sync.addHandler(IdleStateHandler(allTimeout: Self.keepAliveTimeout))
                    try sync.addHandler(CloseOnIdle())
                    try sync.configureHTTPServerPipeline(withErrorHandling: true)
                    let client = IngressProxy.Client(address: channel.remoteAddress?.ipAddress ?? "", scheme: scheme, port: channel.localAddress?.port ?? port)
                    try sync.addHandler(IngressConnection(proxy: proxy, client: client))
                }
            }
            .bind(host: host, port: port)
            .get()
        let actual = server.localAddress?.port ?? port
        await onBound(actual)
        try await withTaskCancellationHandler {
            try await server.closeFuture.get()
        } onCancel: {
            server.close(promise: nil)
        }
    }
}

/// Closes a connection that neither sent nor received anything for the keep-alive timeout.
final class CloseOnIdle: ChannelInboundHandler, Sendable {
    typealias InboundIn = NIOAny
    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent { context.close(promise: nil) } else { context.fireUserInboundEventTriggered(event) }
    }
}
