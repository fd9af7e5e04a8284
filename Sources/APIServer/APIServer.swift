import Foundation
import Hummingbird
import Logging
import NIOCore

/// The API server process: store, service and HTTP listener, wired together.
public final class APIServer: Sendable {
    public let config: APIServerConfig
    public let store: Store
    public let api: APIService

    /// `now` is the clock for timestamps the server writes (creation, deletion, conditions).
    public init(config: APIServerConfig, now: @escaping @Sendable () -> Date = { Date() }) async throws {
        guard config.isLoopback || config.token != nil else {
            throw ConfigError(message: "refusing to listen on \(config.host) without --token-file: only loopback addresses may be served without authentication")
        }
        try FileManager.default.createDirectory(atPath: config.dataDir, withIntermediateDirectories: true)
        self.config = config
        store = try Store(path: config.dataDir + "/kplane.db", historyLimit: max(config.watchCacheSize, 10))
        api = APIService(store: store, serviceCIDR: config.serviceCIDR, now: now)
        try await api.bootstrap()
    }

    /// Serves until cancelled. `onReady` gets the bound port (useful with port 0).
    public func run(onReady: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        var logger = Logger(label: "kplane.apiserver")
        logger.logLevel = .warning
        let responder = KubeResponder(api: api, token: config.token, serverAddress: "\(config.host):\(config.port)")
        let app = Application(
            responder: responder,
            configuration: .init(address: .hostname(config.host, port: config.port), serverName: nil),
            onServerRunning: { channel in await onReady(channel.localAddress?.port ?? 0) },
            logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { [api, config] in
                // Sweep expired events once a minute, as long as the server runs.
                while true {
                    try await Task.sleep(for: .seconds(60))
                    await api.expireEvents(olderThan: config.eventTTL)
                }
            }
            try await app.runService()
            group.cancelAll()
        }
    }

    /// A client that calls this server in-process, with the semantics of the HTTP one.
    public var localClient: LocalAPIClient { LocalAPIClient(api: api) }

    /// Writes `<data-dir>/kubeconfig` and returns its path.
    public func writeKubeconfig(port: Int) throws -> String {
        let path = config.dataDir + "/kubeconfig"
        try config.kubeconfig(port: port).write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}
