import Foundation
import KubeModel
import KubeYAML

/// A kubeconfig as kubectl merges it: files from `--kubeconfig`, else `$KUBECONFIG` (colon-
/// separated, first file wins for each entry and for current-context), else `~/.kube/config`.
public struct Kubeconfig: Sendable {
    public var clusters: [String: JSONValue] = [:]
    public var contexts: [String: JSONValue] = [:]
    public var users: [String: JSONValue] = [:]
    public var currentContext = ""
    /// The files read, in precedence order; the first is where `use-context` writes.
    public var files: [String] = []

    public init() {}

    public struct Failure: Error, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    public static func paths(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
        if let explicit, !explicit.isEmpty { return [explicit] }
        if let env = environment["KUBECONFIG"], !env.isEmpty {
            return env.split(separator: ":").map(String.init).filter { !$0.isEmpty }
        }
        return [(environment["HOME"] ?? "") + "/.kube/config"]
    }

    /// Loads the kubeconfig as kubectl finds it: the `--kubeconfig` file when given, else the
    /// files in `$KUBECONFIG`, else `~/.kube/config`.
    public static func load(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Kubeconfig {
        try load(paths: paths(explicit: explicit, environment: environment), explicit: explicit?.isEmpty == false)
    }

    /// Loads and merges `paths`; a missing file is skipped unless it was named explicitly.
    public static func load(paths: [String], explicit: Bool = false) throws -> Kubeconfig {
        var config = Kubeconfig()
        config.files = paths
        for path in paths {
            // An unreadable file counts as missing, as client-go's loader skips missing files.
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                if explicit { throw Failure(message: "stat \(path): no such file or directory") }
                continue
            }
            let doc: JSONValue
            do {
                doc = try YAMLDecoding.documents(text).first ?? .emptyObject
            } catch {
                throw Failure(message: "error loading config file \"\(path)\": \(error)")
            }
            config.merge(doc, directory: (path as NSString).deletingLastPathComponent)
        }
        return config
    }

    /// The fields that name files; relative paths are relative to the kubeconfig that holds them.
    static let pathFields = ["certificate-authority", "client-certificate", "client-key", "tokenFile"]

    /// Adds entries from a file that come after those already loaded (earlier files win).
    /// File paths in them are made absolute against `directory`, as kubectl does when loading.
    public mutating func merge(_ doc: JSONValue, directory: String? = nil) {
        func add(_ list: String, _ field: String, into map: inout [String: JSONValue]) {
            for item in doc[list]?.arrayValue ?? [] {
                guard let name = item["name"]?.stringValue, map[name] == nil else { continue }
                var entry = item[field] ?? .emptyObject
                for f in Self.pathFields {
                    if let directory, let p = entry[f]?.stringValue, !p.isEmpty, !p.hasPrefix("/") {
                        entry[f] = .string(directory.isEmpty ? p : directory + "/" + p)
                    }
                }
                map[name] = entry
            }
        }
        add("clusters", "cluster", into: &clusters)
        add("contexts", "context", into: &contexts)
        add("users", "user", into: &users)
        if currentContext.isEmpty, let c = doc["current-context"]?.stringValue { currentContext = c }
    }

    /// The merged document, as `config view` prints it.
    public var document: JSONValue {
        func list(_ m: [String: JSONValue], _ field: String) -> JSONValue {
            .array(m.keys.sorted().map { ["name": .string($0), .init(stringLiteral: field): m[$0] ?? .emptyObject] })
        }
        return [
            "apiVersion": "v1", "kind": "Config", "preferences": .emptyObject,
            "clusters": list(clusters, "cluster"), "contexts": list(contexts, "context"), "users": list(users, "user"),
            "current-context": .string(currentContext),
        ]
    }
}

/// Flags that override the kubeconfig, as kubectl's.
public struct ConfigOverrides: Sendable {
    public var kubeconfig: String?
    public var context: String?
    public var cluster: String?
    public var user: String?
    public var namespace: String?
    public var server: String?
    public var token: String?
    public init() {}
}

/// Where and how to reach the API server, resolved from a kubeconfig and flags.
public struct RestConfig: Sendable {
    public var server: String
    public var token: String?
    public var namespace: String
    public var contextName: String
    /// Certificates and keys for `https://` servers (PEM); nil trusts the system's roots.
    public var tls: TLSSettings?

    public init(server: String, token: String? = nil, namespace: String = "default", contextName: String = "", tls: TLSSettings? = nil) {
        self.server = server
        self.token = token
        self.namespace = namespace
        self.contextName = contextName
        self.tls = tls
    }

    public static func resolve(_ config: Kubeconfig, _ o: ConfigOverrides) throws -> RestConfig {
        let contextName = o.context ?? config.currentContext
        let context = config.contexts[contextName]
        if o.context != nil && context == nil {
            throw Kubeconfig.Failure(message: "context was not found for specified context: \(contextName)")
        }
        let clusterName = o.cluster ?? context?["cluster"]?.stringValue ?? ""
        let userName = o.user ?? context?["user"]?.stringValue ?? ""
        var server = o.server ?? config.clusters[clusterName]?["server"]?.stringValue ?? ""
        if server.isEmpty {
            if o.cluster != nil { throw Kubeconfig.Failure(message: "cluster \"\(clusterName)\" not found") }
            throw Kubeconfig.Failure(message: "The connection to the server localhost:8080 was refused - did you specify the right host or port?")
        }
        if !server.hasPrefix("http://") && !server.hasPrefix("https://") { server = "https://" + server }
        while server.hasSuffix("/") { server.removeLast() }
        let user = config.users[userName]
        // An unreadable tokenFile sends no token, and the server's 401 says so.
        let token = o.token ?? user?["token"]?.stringValue ?? user?["tokenFile"]?.stringValue.flatMap {
            try? String(contentsOfFile: $0, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let ns = o.namespace ?? context?["namespace"]?.stringValue ?? "default"
        let tls = try TLSSettings.resolve(cluster: config.clusters[clusterName], user: user, userName: userName)
        return RestConfig(server: server, token: token, namespace: ns.isEmpty ? "default" : ns, contextName: contextName, tls: tls)
    }
}
