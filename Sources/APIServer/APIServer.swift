import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore

/// The API server process: store, service and HTTP listener, wired together.
public final class APIServer: Sendable {
    public let config: APIServerConfig
    public let store: Store
    public let api: APIService
    let dataDirectory: DataDirectory

    /// `now` is the clock for timestamps the server writes (creation, deletion, conditions).
    public init(config: APIServerConfig, now: @escaping @Sendable () -> Date = { Date() }) async throws {
        guard try config.isLoopback() || config.token != nil else {
            throw ConfigError(message: "refusing to listen on \(config.host) without --token-file: only loopback addresses may be served without authentication")
        }
        dataDirectory = try DataDirectory(path: config.dataDir)
        self.config = config
        store = try Store(path: try dataDirectory.databasePath(), historyLimit: max(config.watchCacheSize, 10))
        api = APIService(store: store, serviceCIDR: config.serviceCIDR, kinds: config.kinds, now: now)
        try await api.bootstrap()
    }

    /// Serves until cancelled. `onReady` gets the bound port (useful with port 0).
    public func run(onReady: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        var logger = Logger(label: "kplane.apiserver")
        logger.logLevel = .warning
        let responder = KubeResponder(api: api, token: config.token, serverAddress: "\(config.host):\(config.port)")
        let app = Application(
            responder: responder,
            server: .http1(configuration: Self.http1(config)),
            configuration: .init(address: .hostname(config.host, port: config.port), serverName: nil),
            onServerRunning: { [dataDirectory, api, documents = responder.documents, host = config.host] channel in
                let port = channel.localAddress?.port ?? 0
                documents.advertise(serverAddress: "\(host):\(port)")
                dataDirectory.recordPort(port)
                Logger(label: "kplane.apiserver").info("Serving insecurely on \(host):\(port)")
                do { try await api.reconcileKubernetesEndpoints(host: host, port: port) } catch {
                    Logger(label: "kplane.apiserver").error("Unable to reconcile the kubernetes service's endpoints", metadata: ["err": "\(error)"])
                }
                await onReady(port)
            },
            logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { [api, config] in
                // Sweep expired events once a minute, as long as the server runs.
                while true {
                    try await Task.sleep(for: .seconds(60))
                    await api.expireEvents(olderThan: config.eventTTL)
                }
            }
            do {
                try await app.runService()
            } catch let e as IOError where e.errnoCode == EADDRINUSE {
                throw ConfigError(message: "cannot listen on \(config.host):\(config.port): the address is already in use (is another kplane or API server running?); pick another port with --port")
            } catch let e as IOError where e.errnoCode == EADDRNOTAVAIL {
                throw ConfigError(message: "cannot listen on \(config.host):\(config.port): no network interface of this machine has that address; pick another with --address")
            }
            group.cancelAll()
        }
    }

    /// HTTP/1 as kube-apiserver's Go server runs it: its header limit and timeouts, and malformed
    /// requests answered with a `kind: Status` body.
    static func http1(_ config: APIServerConfig) -> HTTP1Channel.Configuration {
        let headerBytes = config.maxHeaderBytes + 4096
        let readHeader = TimeAmount.nanoseconds(Int64(config.readHeaderTimeout * 1e9))
        let idle = TimeAmount.nanoseconds(Int64(config.idleTimeout * 1e9))
        return HTTP1Channel.Configuration(
            additionalChannelHandlers: [HTTPConnectionHandler(readHeader: readHeader, idle: idle)],
            httpDecoderConfiguration: .init(maxHeaderFieldSize: headerBytes, maxHeaderListSize: headerBytes, maxHeaderFieldCount: 65_534))
    }

    /// A client that calls this server in-process, with the semantics of the HTTP one.
    public var localClient: LocalAPIClient { LocalAPIClient(api: api) }

    /// Writes `<data-dir>/kubeconfig` and returns its path.
    public func writeKubeconfig(port: Int) throws -> String {
        try dataDirectory.writePrivateFile("kubeconfig", config.kubeconfig(port: port))
    }
}
