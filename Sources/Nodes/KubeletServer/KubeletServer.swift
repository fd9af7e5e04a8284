import Foundation
import Hummingbird
import KubeClient
import KubeModel
import Logging
import NIOCore
import Synchronization

/// The kubelet's own HTTP server (port 10250's role), on the node's loopback address: the API
/// server's `pods/log` asks it for `/containerLogs/{namespace}/{pod}/{container}` and streams
/// the answer back, `/stats/summary` and `/metrics/resource` serve what the node's containers
/// use (when it has a stats source), `/exec/{namespace}/{pod}/{container}` runs a command in a
/// container and `/attach/{namespace}/{pod}/{container}` connects to its process over an
/// upgraded connection (when it has an exec source), and `/healthz` says it is up. (Plain HTTP: nothing but this machine's
/// loopback can reach it.)
public final class KubeletServer: Sendable {
    public let host: String
    public let port: Int
    let logs: any ContainerLogSource
    let stats: (any NodeStatsSource)?
    let exec: (any ContainerExecSource)?
    let logger: Logger
    let clock: any WallClock
    private let bound: Mutex<Bound>

    private struct Bound {
        var port: Int?
        var waiters: [CheckedContinuation<Int, Never>] = []
    }

    public init(host: String, port: Int, logs: any ContainerLogSource, stats: (any NodeStatsSource)? = nil,
                exec: (any ContainerExecSource)? = nil, logger: Logger,
                clock: any WallClock = SystemClock()) {
        self.host = host
        self.port = port
        self.logs = logs
        self.stats = stats
        self.exec = exec
        self.logger = logger
        self.clock = clock
        bound = Mutex(Bound())
    }

    /// The port it listens on (useful with port 0); waits until it does.
    public var boundPort: Int {
        get async {
            await withCheckedContinuation { (c: CheckedContinuation<Int, Never>) in
                let port = bound.withLock { b -> Int? in
                    if b.port == nil { b.waiters.append(c) }
                    return b.port
                }
                if let port { c.resume(returning: port) }
            }
        }
    }

    /// Serves until cancelled.
    public func run() async throws {
        let router = Router(context: KubeletRequestContext.self)
        router.get("/healthz") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: "ok")))
        }
        router.get("/containerLogs/{namespace}/{pod}/{container}") { [self] request, context in
            ContainerLogsHandler(logs: logs, clock: clock).respond(
                request, namespace: context.parameters.get("namespace") ?? "", pod: context.parameters.get("pod") ?? "",
                container: context.parameters.get("container") ?? "")
        }
        if let stats { StatsHandler(stats: stats).register(on: router) }
        if let exec {
            // WebSocket upgrades arrive as GET, SPDY ones as POST.
            for method in [HTTPRequest.Method.get, .post] {
                router.on("/exec/{namespace}/{pod}/{container}", method: method) { request, context in
                    await RemoteCommandHandler(source: exec).exec(
                        request, channel: context.channel, namespace: context.parameters.get("namespace") ?? "",
                        pod: context.parameters.get("pod") ?? "", container: context.parameters.get("container") ?? "")
                }
                router.on("/attach/{namespace}/{pod}/{container}", method: method) { request, context in
                    await RemoteCommandHandler(source: exec).attach(
                        request, channel: context.channel, namespace: context.parameters.get("namespace") ?? "",
                        pod: context.parameters.get("pod") ?? "", container: context.parameters.get("container") ?? "")
                }
                router.on("/portForward/{namespace}/{pod}", method: method) { request, context in
                    await PortForwardHandler(source: exec).serve(
                        request, channel: context.channel, namespace: context.parameters.get("namespace") ?? "", pod: context.parameters.get("pod") ?? "")
                }
            }
        }
        var quiet = logger
        quiet.logLevel = max(logger.logLevel, .warning)
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { [self] channel in
                let port = channel.localAddress?.port ?? 0
                logger.info("Kubelet server listening on \(host):\(port)")
                let waiters = bound.withLock { b -> [CheckedContinuation<Int, Never>] in
                    b.port = port
                    defer { b.waiters = [] }
                    return b.waiters
                }
                for w in waiters { w.resume(returning: port) }
            },
            logger: quiet)
        try await app.runService()
    }
}

/// The request context of the kubelet's routes: Hummingbird's, plus the connection, which the
/// streaming endpoints take over after their upgrade.
struct KubeletRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}
