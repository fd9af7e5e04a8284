import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// The Ingress controller's listener: HTTP/1.1 with keep-alive (nginx's keepalive_timeout 75 s),
/// optionally TLS, each request answered by an `IngressProxy`.
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
        let tls = self.tls
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 512)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    if let tls { try sync.addHandler(NIOSSLServerHandler(context: tls)) }
                    try sync.addHandler(IdleStateHandler(allTimeout: Self.keepAliveTimeout))
                    try sync.addHandler(CloseOnIdle())
                    try sync.configureHTTPServerPipeline(withErrorHandling: true)
                    return try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(wrappingChannelSynchronously: channel)
                }
            }
        let bound = server.channel.localAddress?.port ?? port
        await onBound(bound)
        let scheme = tls == nil ? "http" : "https"
        try await withThrowingDiscardingTaskGroup { group in
            try await withTaskCancellationHandler {
                try await server.executeThenClose { connections in
                    for try await connection in connections {
                        group.addTask {
                            let client = IngressProxy.Client(address: connection.channel.remoteAddress?.ipAddress ?? "", scheme: scheme, port: bound)
                            await serve(connection, client)
                        }
                    }
                }
            } onCancel: {
                server.channel.close(promise: nil)
            }
        }
    }

    /// The requests of one connection, one after the other, until it closes or a request asks
    /// it to.
    func serve(_ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>, _ client: IngressProxy.Client) async {
        try? await connection.executeThenClose { inbound, outbound in
            var parts = inbound.makeAsyncIterator()
            while let part = try await parts.next() {
                guard case .head(let head) = part else { continue }
                var body = ByteBuffer()
                var tooLarge = (head.headers.first(name: "content-length").flatMap { Int($0) } ?? 0) > IngressProxy.maxBodySize
                reading: while let next = try await parts.next() {
                    switch next {
                    case .body(var chunk):
                        if body.readableBytes + chunk.readableBytes > IngressProxy.maxBodySize { tooLarge = true }
                        if !tooLarge { body.writeBuffer(&chunk) }
                    case .end, .head:
                        break reading
                    }
                }
                let answer = tooLarge ? IngressProxy.page(IngressPages.tooLarge, head) : await proxy.answer(head, body: body, from: client)
                let keepAlive = head.isKeepAlive && !tooLarge
                var responseHead = answer.head
                if !keepAlive { responseHead.headers.replaceOrAdd(name: "Connection", value: "close") }
                try await outbound.write(.head(responseHead))
                try await answer.body { chunk in try await outbound.write(.body(.byteBuffer(chunk))) }
                try await outbound.write(.end(nil))
                if !keepAlive { return }
            }
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
