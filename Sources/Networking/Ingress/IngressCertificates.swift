import Foundation
import KubeModel
import NIOCore
import NIOSSL
import Synchronization

/// The certificates the HTTPS listener presents, chosen by SNI as ingress-nginx does: the
/// `kubernetes.io/tls` Secret an Ingress's `spec.tls` names for that host (an exact host, else a
/// `*.` wildcard), else the controller's default, a self-signed "Fake Certificate".
public final class IngressCertificates: Sendable {
    public struct KeyPair: Sendable {
        public let chain: [NIOSSLCertificate]
        public let key: NIOSSLPrivateKey
        public init(chain: [NIOSSLCertificate], key: NIOSSLPrivateKey) {
            self.chain = chain
            self.key = key
        }

        /// A Secret's `tls.crt` and `tls.key` (PEM, base64 in `data`); nil when either is missing or bad.
        public init?(secret: JSONValue) {
            guard let crt = secret["data"]?["tls.crt"]?.stringValue.flatMap({ Data(base64Encoded: $0) }),
                  let pem = secret["data"]?["tls.key"]?.stringValue.flatMap({ Data(base64Encoded: $0) }),
                  let chain = try? NIOSSLCertificate.fromPEMBytes(Array(crt)), !chain.isEmpty,
                  let key = try? NIOSSLPrivateKey(bytes: Array(pem), format: .pem)
            else { return nil }
            self.init(chain: chain, key: key)
        }
    }

    public let fallback: KeyPair
    private let byHost = Mutex<[String: KeyPair]>([:])

    public init(fallback: KeyPair) { self.fallback = fallback }

    /// Replaces the host table (hosts in lower case, `*.example.com` for wildcards).
    public func update(_ table: [String: KeyPair]) { byHost.withLock { $0 = table } }

    /// The pair for an SNI name.
    public func pair(for serverName: String?) -> KeyPair {
        guard let name = serverName?.lowercased() else { return fallback }
        return byHost.withLock { table in
            if let exact = table[name] { return exact }
            if let dot = name.firstIndex(of: "."), let wild = table["*" + name[dot...]] { return wild }
            return fallback
        }
    }

    /// A server context presenting the default pair, switched per connection by SNI.
    public func serverContext() throws -> NIOSSLContext {
        var config = TLSConfiguration.makeServerConfiguration(certificateChain: fallback.chain.map { .certificate($0) },
                                                             privateKey: .privateKey(fallback.key))
        config.applicationProtocols = ["http/1.1"]
        config.sslContextCallback = { [weak self] values, promise in
            guard let self else { return promise.succeed(.noChanges) }
            let pair = self.pair(for: values.serverHostname)
            var override = NIOSSLContextConfigurationOverride()
            override.certificateChain = pair.chain.map { .certificate($0) }
            override.privateKey = .privateKey(pair.key)
            promise.succeed(override)
        }
        return try NIOSSLContext(configuration: config)
    }

    /// ingress-nginx's default certificate, made with `openssl` in `directory` (kept there,
    /// so a restart presents the same one): O=Acme Co, CN=Kubernetes Ingress Controller Fake
    /// Certificate, for DNS name ingress.local.
    public static func fakeCertificate(in directory: String) throws -> KeyPair {
        let crt = directory + "/ingress-fake.crt", key = directory + "/ingress-fake.key"
        if !FileManager.default.fileExists(atPath: crt) || !FileManager.default.fileExists(atPath: key) {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let openssl = Process()
            openssl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            openssl.arguments = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "365",
                                 "-keyout", key, "-out", crt, "-subj", "/O=Acme Co/CN=Kubernetes Ingress Controller Fake Certificate",
                                 "-addext", "subjectAltName=DNS:ingress.local"]
            openssl.standardOutput = FileHandle.nullDevice
            openssl.standardError = FileHandle.nullDevice
            try openssl.run()
            openssl.waitUntilExit()
            guard openssl.terminationStatus == 0 else { throw CertificateError(message: "openssl could not make the default certificate") }
        }
        return KeyPair(chain: try NIOSSLCertificate.fromPEMFile(crt), key: try NIOSSLPrivateKey(file: key, format: .pem))
    }

    public struct CertificateError: Error, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }
}
