import Foundation
import KubeClient
import KubeModel
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// The simulated nodes' answer on their pods' container ports: a small HTTP response naming the
/// pod, its node and image (and the path asked), on the address `SimulatedPodAddress` gives, for
/// each Running simulated pod with an address and for each TCP `containerPort` it declares, so
/// Services and Ingresses route across a simulated fleet. One socket a pod port: at most
/// `socketLimit` at once (the machine's open-file limit is 20,000 here); past it, the log says so.
public final class SimulatedPodResponder: Controller {
    public let name = "simulated-pod-responder"
    public let queue: WorkQueue
    public let logger: Logger
    let pods: Informer
    let nodes: Informer
    let group: any EventLoopGroup
    public static let socketLimit = 10_000

    /// The sockets of each pod (`namespace/name`), by the port it declared.
    private let sockets = Mutex<[String: [Int: any Channel]]>([:])
    private let warnedFull = Mutex(false)

    public init(clock: any WallClock, pods: Informer, nodes: Informer, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
                logger: Logger = Logger(label: "simulated-pod-responder")) {
        self.pods = pods
        self.nodes = nodes
        self.group = group
        self.logger = logger
        let queue = WorkQueue(clock: clock)
        self.queue = queue
        let enqueue: @Sendable (JSONValue) -> Void = { queue.add(Informer.key($0)) }
        pods.addHandler(Informer.Handler(onAdd: enqueue, onUpdate: { _, new in enqueue(new) }, onDelete: enqueue))
    }

    /// Runs until cancelled, then closes every socket.
    public func serve() async {
        await withTaskCancellationHandler {
            await run(workers: 2)
        } onCancel: {
            queue.shutDown()
        }
        let all = sockets.withLock { s -> [any Channel] in
            defer { s = [:] }
            return s.values.flatMap(\.values)
        }
        for c in all { try? await c.close() }
    }

    /// The answer's fields for a pod: what a user checks to see which pod served them.
    struct Identity: Sendable {
        let pod: String
        let namespace: String
        let node: String
        let image: String
        let podIP: String
    }

    public func reconcile(_ key: String) async throws {
        let pod = pods.get(key).map(Pod.init)
        var wanted: [Int: Identity] = [:]
        if let pod, !pod.metadata.isDeleting, pod.status.phase == "Running", let ip = pod.status.podIP, let node = pod.spec.nodeName,
           let nodeObject = nodes.get(node), Informer.labels(nodeObject)["type"] == SimulatedPodAddress.nodeType {
            for c in pod.spec.containers {
                for p in c.ports where (p.protocol ?? "TCP") == "TCP" && p.containerPort > 0 {
                    wanted[Int(p.containerPort)] = Identity(pod: pod.metadata.name, namespace: pod.metadata.namespace, node: node, image: c.image, podIP: ip)
                }
            }
        }
        let current = sockets.withLock { $0[key] ?? [:] }
        for (port, channel) in current where wanted[port] == nil {
            try? await channel.close()
            sockets.withLock { _ = $0[key]?.removeValue(forKey: port) }
        }
        var failures: [String] = []
        var open = wanted.isEmpty ? 0 : sockets.withLock { $0.values.reduce(0) { $0 + $1.count } }
        for (port, identity) in wanted where current[port] == nil {
            guard let (host, answering) = SimulatedPodAddress.answering(ip: identity.podIP, port: port) else { continue }
            guard open < Self.socketLimit else {
                if warnedFull.withLock({ let first = !$0; $0 = true; return first }) {
                    logger.warning("Simulated pods hold \(Self.socketLimit) sockets; further simulated pod ports do not answer")
                }
                break
            }
            do {
                let channel = try await listen(host: host, port: answering, identity: identity)
                sockets.withLock { $0[key, default: [:]][port] = channel }
                open += 1
                logger.debug("Answering for simulated pod", metadata: ["pod": "\(key)", "address": "\(host):\(answering)"])
            } catch {
                failures.append("\(host):\(answering): \(error)")
            }
        }
        if pod == nil || wanted.isEmpty { sockets.withLock { if $0[key]?.isEmpty ?? false { $0[key] = nil } } }
        if !failures.isEmpty { throw Unanswered(pod: key, failures: failures) }
    }

    private func listen(host: String, port: Int, identity: Identity) async throws -> any Channel {
        try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(Answer(identity: identity))
                }
            }
            .bind(host: host, port: port)
            .get()
    }

    struct Unanswered: Error, CustomStringConvertible {
        let pod: String
        let failures: [String]
        var description: String { "simulated pod \(pod) cannot answer: \(failures.joined(separator: "; "))" }
    }

    /// One response a request: `200` with the pod's identity as JSON, keep-alive as the client asks.
    final class Answer: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let identity: Identity
        private var head: HTTPRequestHead?

        init(identity: Identity) { self.identity = identity }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let h): head = h
            case .body: break
            case .end:
                guard let h = head else { return }
                let fields: [(String, String)] = [("pod", identity.pod), ("namespace", identity.namespace), ("node", identity.node),
                                                  ("image", identity.image), ("podIP", identity.podIP), ("path", h.uri)]
                let json = "{" + fields.map { "\"\($0.0)\":\"\(Self.escape($0.1))\"" }.joined(separator: ",") + ",\"simulated\":true}\n"
                var headers = HTTPHeaders([("Content-Type", "application/json"), ("Content-Length", String(json.utf8.count))])
                if !h.isKeepAlive { headers.add(name: "Connection", value: "close") }
                context.write(wrapOutboundOut(.head(HTTPResponseHead(version: h.version, status: .ok, headers: headers))), promise: nil)
                context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: json)))), promise: nil)
                let keepAlive = h.isKeepAlive
                let channel = context.channel
                context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in if !keepAlive { channel.close(promise: nil) } }
                head = nil
            }
        }

        static func escape(_ s: String) -> String {
            s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        }
    }
}
