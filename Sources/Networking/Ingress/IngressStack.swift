import KubeClient
import Logging

/// The whole Ingress controller as `kplane up` runs it: the control loop, and the HTTP and
/// HTTPS listeners routing by its table to the endpoints `endpoints` lists.
public final class IngressStack: Sendable {
    public struct Settings: Sendable {
        /// HTTP: 80, else 8080 when binding 80 is not allowed.
        public var http = IngressEntryPoint(port: 80, fallback: 8080)
        /// HTTPS: 443, else 8443; nil serves no HTTPS.
        public var https: IngressEntryPoint? = IngressEntryPoint(port: 443, fallback: 8443)
        /// Where the default ("fake") certificate is kept.
        public var certificateDirectory: String
        public init(certificateDirectory: String) { self.certificateDirectory = certificateDirectory }
    }

    public let controller: IngressController
    public let proxy: IngressProxy
    let settings: Settings
    let certificates: IngressCertificates?
    let logger = Logger(label: "ingress-controller")

    /// Fails only when HTTPS was asked for and no default certificate could be made.
    public init(client: APIClient, clock: any WallClock, informers: SharedInformers, endpoints: any IngressEndpointSource, settings: Settings,
                activator: Activator? = nil) throws {
        self.settings = settings
        certificates = try settings.https.map { _ in IngressCertificates(fallback: try IngressCertificates.fakeCertificate(in: settings.certificateDirectory)) }
        controller = IngressController(client: client, clock: clock, informers: informers, certificates: certificates, logger: logger)
        let controller = self.controller
        proxy = IngressProxy(routes: { controller.router }, endpoints: endpoints, activator: activator)
    }

    /// Runs the controller and the listeners until cancelled; a listener that cannot bind is
    /// reported and leaves the rest running.
    public func run(ownInformers: Bool) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.controller.run(ownInformers: ownInformers) }
            group.addTask {
                do { try await self.settings.http.run(IngressServer(proxy: self.proxy), logger: self.logger) } catch {
                    self.logger.error("Ingress controller: cannot listen for HTTP on \(self.settings.http.host):\(self.settings.http.port): \(error)")
                }
            }
            if let https = settings.https, let certificates {
                group.addTask {
                    do {
                        let server = IngressServer(proxy: self.proxy, tls: try certificates.serverContext())
                        try await https.run(server, logger: self.logger) { port in self.proxy.httpsPort.withLock { $0 = port } }
                    } catch {
                        self.logger.error("Ingress controller: cannot listen for HTTPS on \(https.host):\(https.port): \(error)")
                    }
                }
            }
            await group.waitForAll()
        }
        await proxy.shutdown()
    }
}
