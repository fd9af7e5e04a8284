import ArgumentParser
import Foundation
import KubeClient
import KubeModel

/// kubectl's global flags, shared by every verb.
struct GlobalOptions: ParsableArguments {
    @Option(help: "Path to the kubeconfig file to use for CLI requests.") var kubeconfig: String?
    @Option(help: "The name of the kubeconfig context to use.") var context: String?
    @Option(help: "The name of the kubeconfig cluster to use.") var cluster: String?
    @Option(help: "The name of the kubeconfig user to use.") var user: String?
    @Option(name: [.short, .long], help: "If present, the namespace scope for this CLI request.") var namespace: String?
    @Option(name: [.short, .customLong("server")], help: "The address and port of the Kubernetes API server.") var server: String?
    @Option(help: "Bearer token for authentication to the API server.") var token: String?
    @Option(name: .customLong("cache-dir"), help: "Default cache directory.") var cacheDir: String?
    @Option(name: .customLong("request-timeout"), help: "The length of time to wait before giving up on a single server request.") var requestTimeout: String?

    var overrides: ConfigOverrides {
        var o = ConfigOverrides()
        o.kubeconfig = kubeconfig
        o.context = context
        o.cluster = cluster
        o.user = user
        o.namespace = namespace
        o.server = server
        o.token = token
        return o
    }

    func loadConfig() throws -> Kubeconfig {
        try Kubeconfig.load(explicit: kubeconfig)
    }

    func session() throws -> Session {
        let rest = try RestConfig.resolve(try loadConfig(), overrides)
        return Session(rest: rest, client: try HTTPAPIClient(config: rest), cacheDir: cacheDir, namespaceFlag: namespace != nil)
    }
}

/// What one command works with: the server's address, a client, and discovery (loaded lazily,
/// from the disk cache when fresh).
final class Session {
    let rest: RestConfig
    let client: APIClient
    let cacheDir: String?
    let namespaceFlag: Bool
    private var discovery: Discovery?

    init(rest: RestConfig, client: APIClient, cacheDir: String?, namespaceFlag: Bool) {
        self.rest = rest
        self.client = client
        self.cacheDir = cacheDir
        self.namespaceFlag = namespaceFlag
    }

    var namespace: String { rest.namespace }

    func resources(refresh: Bool = false) async throws -> Discovery {
        if let discovery, !refresh { return discovery }
        let d = try await Discovery.load(client: client, server: rest.server, cacheDir: cacheDir, refresh: refresh)
        discovery = d
        return d
    }

    /// Resolves a resource name as typed; refreshes discovery once before giving up, as kubectl does.
    func resource(_ text: String) async throws -> APIResource {
        if let r = try await resources().resolve(text) { return r }
        if let r = try await resources(refresh: true).resolve(text) { return r }
        throw KctlError("the server doesn't have a resource type \"\(text)\"")
    }

    func resource(apiVersion: String, kind: String) async throws -> APIResource {
        if let r = try await resources().resolve(apiVersion: apiVersion, kind: kind) { return r }
        if let r = try await resources(refresh: true).resolve(apiVersion: apiVersion, kind: kind) { return r }
        throw KctlError("resource mapping not found for name: \"\" namespace: \"\" from \"\": no matches for kind \"\(kind)\" in version \"\(apiVersion)\"\nensure CRDs are installed first")
    }
}
