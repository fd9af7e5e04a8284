import Foundation
import Logging
import NIOCore
import NIOSSL

/// Where the Ingress listens: the wanted port (80, 443), else, where an unprivileged process
/// may not bind it, the fallback (8080, 8443), said once at start.
public struct IngressEntryPoint: Sendable {
    public var host: String
    public var port: Int
    /// Tried when `port` is refused (EACCES); nil: no fallback (the user chose the port).
    public var fallback: Int?

    public init(host: String = "127.0.0.1", port: Int, fallback: Int? = nil) {
        self.host = host
        self.port = port
        self.fallback = fallback
    }

    /// Serves `server` until cancelled; `onBound` gets the port it answers on.
    public func run(_ server: IngressServer, logger: Logger, onBound: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let scheme = server.tls == nil ? "http" : "https"
        let announce: @Sendable (Int) async -> Void = { [host] bound in
            logger.info("Ingress controller answering on \(scheme)://\(host):\(bound)")
            await onBound(bound)
        }
        do {
            try await server.run(host: host, port: port, onBound: announce)
        } catch let e as IOError where e.errnoCode == EACCES {
            guard let fallback else { throw e }
            logger.warning("Ingress controller: binding \(host):\(port) is not allowed for this user; answering on \(scheme)://\(host):\(fallback) instead")
            try await server.run(host: host, port: fallback, onBound: announce)
        }
    }
}
