import Foundation

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

    public init(dataDir: String) { self.dataDir = dataDir }

    public static var defaultDataDir: String {
        (ProcessInfo.processInfo.environment["HOME"] ?? ".") + "/.kplane"
    }

    /// Loopback addresses need no authentication; anything else must have a token.
    public var isLoopback: Bool { host == "localhost" || host.hasPrefix("127.") || host == "::1" }

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
