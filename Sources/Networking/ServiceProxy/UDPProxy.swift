import Foundation
import Logging
import NIOCore
import NIOPosix

/// One UDP socket of a Service port. UDP has no connection, so a client (its address and
/// port) gets a session, as conntrack gives it in kube-proxy's rules: its first datagram picks
/// an endpoint, later ones follow it, replies come back from the Service's address, and a
/// session idle for `idleTimeout` (conntrack's `nf_conntrack_udp_timeout`, 30 s) ends. With no
/// endpoint the datagram is dropped.
enum UDPProxy {
    static let idleTimeout = TimeAmount.seconds(30)
    /// Sessions one socket holds at most; a new client past it is dropped until one ends.
    static let sessionLimit = 4096
    /// Datagrams kept for a session while its endpoint socket connects.
    static let pendingLimit = 16

    static func listen(on address: SocketAddress, group: any EventLoopGroup, balancer: Balancer,
                       now: @escaping @Sendable () -> Date, logger: Logger) async throws -> any Channel {
        try await DatagramBootstrap(group: group)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Frontend(balancer: balancer, now: now, logger: logger))
                }
            }
            .bind(to: address)
            .get()
    }

    /// The Service's socket: sessions by client, all touched on its event loop only.
    final class Frontend: ChannelInboundHandler {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>

        private struct Session {
            let endpoint: ServiceEndpoint
            var backend: (any Channel)?
            var pending: [ByteBuffer] = []
            var lastUsed: NIODeadline
        }

        let balancer: Balancer
        let now: @Sendable () -> Date
        let logger: Logger
        private var sessions: [SocketAddress: Session] = [:]
        private var reaper: RepeatedTask?

        init(balancer: Balancer, now: @escaping @Sendable () -> Date, logger: Logger) {
            self.balancer = balancer
            self.now = now
            self.logger = logger
        }

        func channelActive(context: ChannelHandlerContext) {
            let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
            reaper = context.eventLoop.scheduleRepeatedTask(initialDelay: .seconds(5), delay: .seconds(5)) { _ in bound.value.reap() }
            context.fireChannelActive()
        }

        func channelInactive(context: ChannelHandlerContext) {
            reaper?.cancel()
            for s in sessions.values { s.backend?.close(promise: nil) }
            sessions = [:]
            context.fireChannelInactive()
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let envelope = unwrapInboundIn(data)
            let client = envelope.remoteAddress
            if let session = sessions[client], !balancer.lists(session.endpoint) {
                // Its endpoint left (unready, deleted): as kube-proxy clears its conntrack entries,
                // the session ends and this datagram starts one with a listed endpoint.
                session.backend?.close(promise: nil)
                sessions[client] = nil
            }
            if var session = sessions[client] {
                session.lastUsed = .now()
                if let backend = session.backend {
                    backend.writeAndFlush(envelope.data, promise: nil)
                } else if session.pending.count < UDPProxy.pendingLimit {
                    session.pending.append(envelope.data)
                }
                sessions[client] = session
                return
            }
            guard sessions.count < UDPProxy.sessionLimit,
                  let endpoint = balancer.pick(client: client.ipAddress ?? "", now: now()),
                  let target = try? SocketAddress(ipAddress: endpoint.ip, port: endpoint.port) else { return }
            sessions[client] = Session(endpoint: endpoint, backend: nil, pending: [envelope.data], lastUsed: .now())
            let listener = context.channel
            let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
            DatagramBootstrap(group: context.eventLoop)
                .channelInitializer { ch in
                    ch.eventLoop.makeCompletedFuture { try ch.pipeline.syncOperations.addHandler(Reply(listener: listener, client: client)) }
                }
                .connect(to: target)
                .whenComplete { result in bound.value.connected(client, result) }
        }

        private func connected(_ client: SocketAddress, _ result: Result<any Channel, any Error>) {
            switch result {
            case .success(let backend):
                guard var session = sessions[client] else { backend.close(promise: nil); return }
                for d in session.pending { backend.write(d, promise: nil) }
                backend.flush()
                session.pending = []
                session.backend = backend
                sessions[client] = session
            case .failure(let error):
                logger.debug("UDP endpoint socket failed", metadata: ["err": "\(error)"])
                sessions[client] = nil
            }
        }

        private func reap() {
            let cutoff = NIODeadline.now() - UDPProxy.idleTimeout
            for (client, s) in sessions where s.lastUsed < cutoff {
                s.backend?.close(promise: nil)
                sessions[client] = nil
            }
        }
    }

    /// An endpoint's replies, sent to the client from the Service's socket.
    final class Reply: ChannelInboundHandler {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        let listener: any Channel
        let client: SocketAddress
        init(listener: any Channel, client: SocketAddress) {
            self.listener = listener
            self.client = client
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            listener.writeAndFlush(AddressedEnvelope(remoteAddress: client, data: unwrapInboundIn(data).data), promise: nil)
        }
    }
}
