import KubeClient
import KubeModel
import Logging
import NIOCore
import NIOPosix
import Synchronization

/// CoreDNS's job in small: answers the cluster zone over UDP and TCP (which resolvers use when a
/// UDP answer comes truncated) from its own informers on Services
/// and EndpointSlices (never the store), so a pod resolves `myapp` through the `search` list of
/// the `resolv.conf` its kubelet wrote.
public final class ClusterDNSServer: Sendable {
    public static let services = APIResource.builtin("services")
    public static let endpointSlices = APIResource.builtin("endpointslices.discovery.k8s.io")

    public let zone: ClusterDNSZone
    let channel: any Channel
    let tcp: any Channel

    /// Binds `host:port` (port 0: any) and serves until `close()`. The informers must be run by
    /// the caller (shared with other components in `kplane up`). The address may not exist yet
    /// (a node bridge's gateway before the bridge is up): the socket binds it freely.
    public init(host: String, port: Int, services: Informer, endpointSlices: Informer, domain: String = "cluster.local",
                group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, logger: Logger = Logger(label: "kplane.dns")) async throws {
        let zone = ClusterDNSZone(
            domain: domain,
            service: { ns, name in services.get(namespace: ns, name: name) },
            slices: { ns, name in
                endpointSlices.list(namespace: ns, selector: LabelSelector([LabelRequirement(key: "kubernetes.io/service-name", op: .equals, values: [name])]))
            })
        self.zone = zone
        let connections = ConnectionCount(limit: Self.tcpConnectionLimit)
        channel = try await DatagramBootstrap(group: group)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .channelOption(ChannelOptions.socket(SocketOptionLevel(IPPROTO_IP), SocketOptionName(Self.ipFreebind)), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(Handler(zone: zone, logger: logger)) }
            }
            .bind(host: host, port: port).get()
        let bound = channel.localAddress?.port ?? port
        do {
            tcp = try await ServerBootstrap(group: group)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .serverChannelOption(ChannelOptions.socket(SocketOptionLevel(IPPROTO_IP), SocketOptionName(Self.ipFreebind)), value: 1)
                .childChannelInitializer { [connections] child in
                    // Past the cap a connection is closed at once: idle or greedy clients must not
                    // take the descriptors the rest of kplane needs.
                    guard connections.admit() else { return child.close() }
                    child.closeFuture.whenComplete { _ in connections.leave() }
                    return child.eventLoop.makeCompletedFuture {
                        try child.pipeline.syncOperations.addHandlers(
                            IdleStateHandler(readTimeout: .seconds(Self.tcpIdleSeconds)),
                            ByteToMessageHandler(TCPFraming()), TCPHandler(zone: zone))
                    }
                }
                .bind(host: host, port: bound).get()
        } catch {
            try? await channel.close()
            throw error
        }
    }

    /// The bound port.
    public var port: Int { channel.localAddress?.port ?? 0 }

    public func close() async {
        try? await channel.close()
        try? await tcp.close()
    }

    /// Serves until the task is cancelled.
    public func run() async {
        await withTaskCancellationHandler {
            try? await channel.closeFuture.get()
        } onCancel: { [channel, tcp] in
            channel.close(promise: nil)
            tcp.close(promise: nil)
        }
    }

    /// At most this many TCP connections at once; each closes after this long without a query
    /// (CoreDNS's TCP idle timeout is 10 s).
    static let tcpConnectionLimit = 256
    static let tcpIdleSeconds: Int64 = 10

    /// Open TCP connections, against a limit.
    final class ConnectionCount: Sendable {
        let limit: Int
        private let count = Mutex(0)
        init(limit: Int) { self.limit = limit }
        func admit() -> Bool { count.withLock { n in guard n < limit else { return false }; n += 1; return true } }
        func leave() { count.withLock { $0 -= 1 } }
    }

    /// Linux's `IP_FREEBIND` (not exported to Swift by Glibc).
    static let ipFreebind: Int32 = 15

    /// One datagram in, one out; a message that does not parse gets no answer, as CoreDNS drops it.
    final class Handler: ChannelInboundHandler, Sendable {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        typealias OutboundOut = AddressedEnvelope<ByteBuffer>
        let zone: ClusterDNSZone
        let logger: Logger

        init(zone: ClusterDNSZone, logger: Logger) {
            self.zone = zone
            self.logger = logger
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let envelope = unwrapInboundIn(data)
            let bytes = Array(envelope.data.readableBytesView)
            guard let query = try? DNSMessage(decoding: bytes), !query.isResponse else {
                logger.debug("Dropping a malformed DNS message", metadata: ["from": "\(envelope.remoteAddress)"])
                return
            }
            var reply = zone.answer(query).encoded()
            // Over UDP a reply is at most 512 bytes (no EDNS0 here): truncate and set TC.
            if reply.count > 512 {
                var truncated = zone.answer(query)
                truncated.answers = []
                reply = truncated.encoded()
                reply[2] |= 0x02
            }
            let out = AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: context.channel.allocator.buffer(bytes: reply))
            context.writeAndFlush(wrapOutboundOut(out), promise: nil)
        }
    }

    /// RFC 1035 4.2.2: over TCP each message is preceded by its length in two bytes, which also
    /// bounds what a connection can make us hold.
    struct TCPFraming: ByteToMessageDecoder {
        typealias InboundOut = ByteBuffer

        mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
            guard let length = buffer.getInteger(at: buffer.readerIndex, as: UInt16.self), buffer.readableBytes >= 2 + Int(length) else {
                return .needMoreData
            }
            buffer.moveReaderIndex(forwardBy: 2)
            guard let message = buffer.readSlice(length: Int(length)) else { return .needMoreData }
            context.fireChannelRead(wrapInboundOut(message))
            return .continue
        }
    }

    /// One answer per framed query; a malformed one closes the connection, and so does a
    /// connection idle past the timeout. A client that does not read its answers is not read
    /// from either until it does, so unread answers never pile up past the channel's
    /// high-water mark.
    final class TCPHandler: ChannelDuplexHandler, Sendable {
        typealias InboundIn = ByteBuffer
        typealias OutboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        let zone: ClusterDNSZone

        init(zone: ClusterDNSZone) { self.zone = zone }

        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            if event is IdleStateHandler.IdleStateEvent { context.close(promise: nil) } else { context.fireUserInboundEventTriggered(event) }
        }

        func channelWritabilityChanged(context: ChannelHandlerContext) {
            if context.channel.isWritable { context.read() }
            context.fireChannelWritabilityChanged()
        }

        func read(context: ChannelHandlerContext) {
            // Reading resumes when the answers drain (channelWritabilityChanged).
            if context.channel.isWritable { context.read() }
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let bytes = Array(unwrapInboundIn(data).readableBytesView)
            guard let query = try? DNSMessage(decoding: bytes), !query.isResponse else {
                context.close(promise: nil)
                return
            }
            let reply = zone.answer(query).encoded()
            var out = context.channel.allocator.buffer(capacity: reply.count + 2)
            out.writeInteger(UInt16(clamping: reply.count))
            out.writeBytes(reply.prefix(Int(UInt16.max)))
            context.writeAndFlush(wrapOutboundOut(out), promise: nil)
        }
    }
}
