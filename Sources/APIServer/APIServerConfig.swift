import Foundation
import KubeModel

/// How to run the API server.
public struct APIServerConfig: Sendable {
    public var host = "127.0.0.1"
    public var port = 6443
    public var dataDir: String
    public var token: String?
    public var serviceCIDR = "10.96.0.0/16"
    public var watchCacheSize = 20_000
    /// How long an Event lives after its last update (kube-apiserver's `--event-ttl`).
    public var eventTTL: TimeInterval = 3600
    /// How long a keep-alive connection may wait for its next request (Go's `IdleTimeout` in
    /// kube-apiserver's `secure_serving.go`: 90 s, the keep-alive timeout of Go clients).
    public var idleTimeout: TimeInterval = 90
    /// How long a request's headers may take to arrive (kube-apiserver's `ReadHeaderTimeout`).
    public var readHeaderTimeout: TimeInterval = 32
    /// The largest request line and headers (kube-apiserver's `MaxHeaderBytes`, 1 MiB; Go adds 4 KiB
    /// of slack); more is a 431.
    public var maxHeaderBytes = 1 << 20
    /// The kinds the server serves, in discovery order: the built-in ones, or more (a kind
    /// defined outside kplane's sources is served by adding its `KindDefinition` here).
    public var kinds: [KindDefinition] = Kinds.builtin

    public init(dataDir: String) { self.dataDir = dataDir }

    public static var defaultDataDir: String {
        (ProcessInfo.processInfo.environment["HOME"] ?? ".") + "/.kplane"
    }

    /// Loopback addresses need no authentication; anything else must have a token. The host is
    /// resolved, so a name only counts when every address it stands for is a loopback one.
    public func isLoopback() throws -> Bool {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, nil, &hints, &list)
        guard rc == 0, let list else {
            throw ConfigError(message: "cannot listen on \(host): \(String(cString: gai_strerror(rc))); pass an IP address or a name this machine resolves with --address")
        }
        defer { freeaddrinfo(list) }
        var node: UnsafeMutablePointer<addrinfo>? = list
        var all = true
        while let n = node {
            if let sa = n.pointee.ai_addr { all = all && Self.isLoopback(sa) }
            node = n.pointee.ai_next
        }
        return all
    }

    private static func isLoopback(_ sa: UnsafeMutablePointer<sockaddr>) -> Bool {
        switch Int32(sa.pointee.sa_family) {
        case AF_INET:
            return sa.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt32(bigEndian: $0.pointee.sin_addr.s_addr) >> 24 == 127 }
        case AF_INET6:
            return sa.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { a in
                withUnsafeBytes(of: a.pointee.sin6_addr) { b in b.prefix(15).allSatisfy { $0 == 0 } && b[15] == 1 }
            }
        default:
            return false
        }
    }

    public static func readToken(_ path: String) throws -> String {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let token = text.split(whereSeparator: \.isNewline).first.map { String($0).trimmingCharacters(in: .whitespaces) } ?? ""
        guard !token.isEmpty else { throw ConfigError(message: "token file \(path) is empty") }
        return token
    }

    /// A kubeconfig that real kubectl accepts, pointing at this server.
    public func kubeconfig(port: Int) -> String {
        let host = self.host == "0.0.0.0" ? "127.0.0.1" : self.host
        let user = token.map { "  user:\n    token: \($0)\n" } ?? "  user: {}\n"
        return "apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    server: http://\(host):\(port)\n  name: kplane\n"
            + "contexts:\n- context:\n    cluster: kplane\n    namespace: default\n    user: kplane\n  name: kplane\n"
            + "current-context: kplane\npreferences: {}\nusers:\n- name: kplane\n" + user
    }
}

public struct ConfigError: Error, CustomStringConvertible {
    public let message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}
