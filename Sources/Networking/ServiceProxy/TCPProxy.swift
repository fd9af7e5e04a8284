import Foundation
import Logging
import NIOCore
import NIOPosix

/// One TCP listening socket of a Service port (its ClusterIP, a node address for its NodePort,
/// or its LoadBalancer address): each accepted connection goes to the endpoint the balancer
/// picks, bytes copied both ways; with no endpoint, or one that refuses, the client gets a
/// reset, as kube-proxy's REJECT rule (`--reject-with tcp-reset`) answers; unless the Service's
/// Deployment scales to zero, when the connection is held while the activator wakes it.
enum TCPProxy {
    /// The Service port a socket serves, for the activator.
    struct Activation: Sendable {
        let activator: Activator
        let service: ServiceKey
        let port: ServicePortReference
    }

    /// How long a connection to an endpoint may take before the client is reset.
    static let connectTimeout = TimeAmount.seconds(5)

    static func listen(on address: SocketAddress, group: any EventLoopGroup, balancer: Balancer,
                       now: @escaping @Sendable () -> Date, logger: Logger, activation: Activation? = nil) async throws -> any Channel {
        try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            // Nothing is read from a client until its endpoint is connected.
            .childChannelOption(.autoRead, value: false)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Frontend(balancer: balancer, now: now, logger: logger, activation: activation))
                }
            }
            .bind(to: address)
            .get()
    }

    /// Closes the connection with a RST instead of a FIN (SO_LINGER with a zero timeout).
    static func reset(_ channel: any Channel) {
        guard let socket = channel as? any SocketOptionProvider else { return channel.close(promise: nil) }
        socket.setSoLinger(linger(l_onoff: 1, l_linger: 0)).whenComplete { _ in channel.close(promise: nil) }
    }

    /// The accepted side: picks an endpoint when the connection is up and glues the two.
    final class Frontend: ChannelInboundHandler {
        typealias InboundIn = NIOAny
        let balancer: Balancer
        let now: @Sendable () -> Date
        let logger: Logger
        let activation: Activation?

        init(balancer: Balancer, now: @escaping @Sendable () -> Date, logger: Logger, activation: Activation?) {
            self.balancer = balancer
            self.now = now
            self.logger = logger
            self.activation = activation
        }

        func channelActive(context: ChannelHandlerContext) {
            let client = context.channel
            let clientIP = client.remoteAddress?.ipAddress ?? ""
            activation.map { $0.activator.touch($0.service) }
            if let endpoint = balancer.pick(client: clientIP, now: now()) { return Self.connect(client, to: endpoint, logger: logger, activation: activation) }
            guard let activation else { return reject(client, clientIP) }
            Self.hold(client, clientIP: clientIP, activation: activation, balancer: balancer, now: now, logger: logger)
        }

        /// Holds the connection, unread (autoRead is off), while the activator wakes the
        /// Service's Deployment; then connects it, or resets it when nothing came.
        static func hold(_ client: any Channel, clientIP: String, activation: Activation, balancer: Balancer,
                         now: @escaping @Sendable () -> Date, logger: Logger) {
            let loop = client.eventLoop
            let held = Task {
                let outcome = await activation.activator.activate(activation.service, port: activation.port) { !balancer.endpoints.isEmpty }
                loop.execute {
                    if case .pod(let endpoint) = outcome, client.isActive { return connect(client, to: endpoint, logger: logger, activation: activation) }
                    guard outcome == .endpoints, client.isActive, let endpoint = balancer.pick(client: clientIP, now: now()) else {
                        logger.trace("No endpoint; resetting", metadata: ["client": "\(clientIP)", "service": "\(activation.service)"])
                        return TCPProxy.reset(client)
                    }
                    connect(client, to: endpoint, logger: logger, activation: activation)
                }
            }
            // A client that leaves while held frees its place at once.
            client.closeFuture.whenComplete { _ in held.cancel() }
        }

        private func reject(_ client: any Channel, _ clientIP: String) {
            logger.trace("No endpoint; resetting", metadata: ["client": "\(clientIP)", "service": "\(client.localAddress.map { "\($0)" } ?? "")"])
            TCPProxy.reset(client)
        }

        /// Connects to the endpoint on the client's event loop and glues the two.
        static func connect(_ client: any Channel, to endpoint: ServiceEndpoint, logger: Logger, activation: Activation? = nil) {
            guard let target = try? SocketAddress(ipAddress: endpoint.ip, port: endpoint.port) else { return TCPProxy.reset(client) }
            ClientBootstrap(group: client.eventLoop)
                .connectTimeout(TCPProxy.connectTimeout)
                .channelOption(.allowRemoteHalfClosure, value: true)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .connect(to: target)
                .whenComplete { result in
                    switch result {
                    case .success(let backend):
                        // The connect completes on the client's event loop, so both pipelines
                        // may be changed here synchronously.
                        let (a, b) = GlueHandler.matchedPair()
                        do {
                            try client.pipeline.syncOperations.addHandler(a)
                            try backend.pipeline.syncOperations.addHandler(b)
                            // A client gone while the endpoint was connecting takes the endpoint's
                            // connection with it.
                            guard client.isActive else { backend.close(promise: nil); return }
                            client.setOption(.autoRead, value: true).whenFailure { _ in backend.close(promise: nil) }
                            // While it stays open, a Deployment that scales to zero counts as active.
                            if let activation, let key = activation.activator.opened(activation.service) {
                                client.closeFuture.whenComplete { _ in activation.activator.closed(key) }
                            }
                        } catch {
                            client.close(promise: nil)
                            backend.close(promise: nil)
                        }
                    case .failure(let error):
                        logger.debug("Endpoint did not answer; resetting the client", metadata: ["endpoint": "\(endpoint)", "err": "\(error)"])
                        TCPProxy.reset(client)
                    }
                }
        }
    }
}
