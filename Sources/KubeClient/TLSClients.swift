import AsyncHTTPClient
import NIOSSL
import Synchronization

/// HTTP clients for `https://` servers with a kubeconfig's own CA or client certificate, one
/// per distinct set of material, kept for the life of the process as the shared one is.
enum TLSClients {
    private static let clients = Mutex<[TLSSettings: HTTPClient]>([:])

    static func client(_ settings: TLSSettings) throws -> HTTPClient {
        try clients.withLock { clients in
            if let c = clients[settings] { return c }
            let c = makeHTTPClient(tls: try configuration(settings))
            clients[settings] = c
            return c
        }
    }

    /// client-go's rules: a given CA replaces the system's roots; a client certificate goes
    /// with its key; insecure-skip-tls-verify turns verification off.
    static func configuration(_ s: TLSSettings) throws -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        do {
            if let ca = s.caPEM { tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(ca)) }
            if let cert = s.certificatePEM, let key = s.keyPEM {
                tls.certificateChain = try NIOSSLCertificate.fromPEMBytes(cert).map { .certificate($0) }
                tls.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: key, format: .pem))
            }
        } catch {
            throw Kubeconfig.Failure(message: "unable to load TLS material from the kubeconfig: \(error)")
        }
        if s.insecureSkipVerify { tls.certificateVerification = .none }
        return tls
    }
}
