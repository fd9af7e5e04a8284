import Foundation
import KubeModel

/// A kubeconfig's TLS material for one cluster and user: the CA to trust, the client
/// certificate and key, and whether to skip verification. Data fields win over file fields,
/// as in client-go.
public struct TLSSettings: Sendable, Hashable {
    public var caPEM: [UInt8]?
    public var certificatePEM: [UInt8]?
    public var keyPEM: [UInt8]?
    public var insecureSkipVerify = false

    public init(caPEM: [UInt8]? = nil, certificatePEM: [UInt8]? = nil, keyPEM: [UInt8]? = nil, insecureSkipVerify: Bool = false) {
        self.caPEM = caPEM
        self.certificatePEM = certificatePEM
        self.keyPEM = keyPEM
        self.insecureSkipVerify = insecureSkipVerify
    }

    /// nil when the kubeconfig entries carry no TLS fields at all.
    static func resolve(cluster: JSONValue?, user: JSONValue?, userName: String = "") throws -> TLSSettings? {
        var s = TLSSettings()
        s.caPEM = try material(cluster, data: "certificate-authority-data", file: "certificate-authority")
        s.certificatePEM = try material(user, data: "client-certificate-data", file: "client-certificate")
        s.keyPEM = try material(user, data: "client-key-data", file: "client-key")
        s.insecureSkipVerify = cluster?["insecure-skip-tls-verify"]?.boolValue ?? false
        if s.certificatePEM != nil && s.keyPEM == nil {
            throw Kubeconfig.Failure(message: "client-key-data or client-key must be specified for \(userName) to use the clientCert authentication method.")
        }
        if s.keyPEM != nil && s.certificatePEM == nil {
            throw Kubeconfig.Failure(message: "client-cert-data or client-cert must be specified for \(userName) to use the clientCert authentication method.")
        }
        if s.insecureSkipVerify && s.caPEM != nil {
            throw Kubeconfig.Failure(message: "specifying a root certificates file with the insecure flag is not allowed")
        }
        return s == TLSSettings() ? nil : s
    }

    private static func material(_ entry: JSONValue?, data: String, file: String) throws -> [UInt8]? {
        if let b64 = entry?[data]?.stringValue, !b64.isEmpty {
            guard let d = Data(base64Encoded: b64, options: .ignoreUnknownCharacters) else {
                throw Kubeconfig.Failure(message: "illegal base64 data in \(data)")
            }
            return Array(d)
        }
        guard let path = entry?[file]?.stringValue, !path.isEmpty else { return nil }
        guard let d = FileManager.default.contents(atPath: path) else {
            throw Kubeconfig.Failure(message: "open \(path): no such file or directory")
        }
        return Array(d)
    }
}
