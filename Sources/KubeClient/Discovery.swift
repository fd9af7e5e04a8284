import Foundation
import KubeModel

/// One resource as discovery describes it.
public struct APIResource: Sendable, Equatable {
    public let group: String
    public let version: String
    public let kind: String
    public let plural: String
    public let singular: String
    public let shortNames: [String]
    public let namespaced: Bool
    public let verbs: [String]
    public let categories: [String]

    public var groupVersion: String { group.isEmpty ? version : "\(group)/\(version)" }
    /// `deployment.apps`: the prefix of kubectl's `TYPE/NAME` output.
    public var typePrefix: String { group.isEmpty ? kind.lowercased() : "\(kind.lowercased()).\(group)" }
    /// `deployments.apps`: the form in server error messages.
    public var qualifiedPlural: String { group.isEmpty ? plural : "\(plural).\(group)" }

    /// The collection URL, in a namespace when the resource is namespaced and one is given.
    public func path(namespace: String?, name: String? = nil, subresource: String? = nil) -> String {
        var p = group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)"
        if namespaced, let namespace { p += "/namespaces/\(namespace)" }
        p += "/\(plural)"
        if let name { p += "/\(name)" }
        if let subresource { p += "/\(subresource)" }
        return p
    }

    var json: JSONValue {
        ["group": .string(group), "version": .string(version), "kind": .string(kind), "plural": .string(plural),
         "singular": .string(singular), "shortNames": .array(shortNames.map { .string($0) }), "namespaced": .bool(namespaced),
         "verbs": .array(verbs.map { .string($0) }), "categories": .array(categories.map { .string($0) })]
    }

    init(group: String, version: String, kind: String, plural: String, singular: String, shortNames: [String],
         namespaced: Bool, verbs: [String], categories: [String]) {
        self.group = group
        self.version = version
        self.kind = kind
        self.plural = plural
        self.singular = singular
        self.shortNames = shortNames
        self.namespaced = namespaced
        self.verbs = verbs
        self.categories = categories
    }

    init?(json j: JSONValue) {
        guard let plural = j["plural"]?.stringValue, let kind = j["kind"]?.stringValue else { return nil }
        self.init(group: j["group"]?.stringValue ?? "", version: j["version"]?.stringValue ?? "", kind: kind, plural: plural,
                  singular: j["singular"]?.stringValue ?? kind.lowercased(),
                  shortNames: (j["shortNames"]?.arrayValue ?? []).compactMap(\.stringValue), namespaced: j["namespaced"] == true,
                  verbs: (j["verbs"]?.arrayValue ?? []).compactMap(\.stringValue),
                  categories: (j["categories"]?.arrayValue ?? []).compactMap(\.stringValue))
    }
}

/// The server's resources, fetched once and cached on disk like kubectl's discovery cache.
public struct Discovery: Sendable {
    /// Preferred versions first, then the others, in the server's order.
    public let resources: [APIResource]

    public init(resources: [APIResource]) { self.resources = resources }

    static let aggregatedAccept =
        "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json"

    public static func cacheFile(server: String, cacheDir: String? = nil) -> String {
        let base = cacheDir ?? ((ProcessInfo.processInfo.environment["HOME"] ?? "/tmp") + "/.kube/cache")
        let host = server.replacingOccurrences(of: "https://", with: "").replacingOccurrences(of: "http://", with: "")
            .replacingOccurrences(of: ":", with: "_").replacingOccurrences(of: "/", with: "_")
        return "\(base)/discovery/\(host)/kctl-resources.json"
    }

    /// Reads the cache (younger than `ttl`) or asks the server and refreshes the cache.
    public static func load(client: APIClient, server: String, cacheDir: String? = nil, refresh: Bool = false, ttl: TimeInterval = 6 * 3600) async throws -> Discovery {
        let file = cacheFile(server: server, cacheDir: cacheDir)
        // stat(2) rather than FileManager.attributesOfItem, which also looks up the owner's
        // user and group names (NSS file reads) on every run.
        var info = stat()
        // The cache is best effort: one that cannot be read (or written below) means asking the server.
        if !refresh, stat(file, &info) == 0, Date().timeIntervalSince1970 - Double(info.st_mtim.tv_sec) < ttl,
            let data = FileManager.default.contents(atPath: file), let json = try? JSONParser.parse(Array(data)),
            let items = json.arrayValue
        {
            return Discovery(resources: items.compactMap(APIResource.init(json:)))
        }
        let d = try await fetch(client: client)
        try? FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: file, contents: Data(JSONSerializer.serialize(.array(d.resources.map(\.json)))))
        return d
    }

    public static func fetch(client: APIClient) async throws -> Discovery {
        var out: [APIResource] = []
        for root in ["/api", "/apis"] {
            let r = try await client.send(method: "GET", path: root, query: [], body: nil, contentType: nil, accept: aggregatedAccept)
            guard (200..<300).contains(r.status), let doc = r.json else { throw APIStatusError(response: r) }
            if r.contentType.contains("as=APIGroupDiscoveryList") {
                out += aggregated(doc)
            } else {
                out += try await legacy(doc, root: root, client: client)
            }
        }
        return Discovery(resources: out)
    }

    static func aggregated(_ doc: JSONValue) -> [APIResource] {
        var out: [APIResource] = []
        for group in doc["items"]?.arrayValue ?? [] {
            let g = group[path: ["metadata", "name"]]?.stringValue ?? ""
            for v in group["versions"]?.arrayValue ?? [] {
                let version = v["version"]?.stringValue ?? ""
                for r in v["resources"]?.arrayValue ?? [] {
                    out.append(APIResource(
                        group: g, version: version, kind: r[path: ["responseKind", "kind"]]?.stringValue ?? "",
                        plural: r["resource"]?.stringValue ?? "", singular: r["singularResource"]?.stringValue ?? "",
                        shortNames: (r["shortNames"]?.arrayValue ?? []).compactMap(\.stringValue),
                        namespaced: r["scope"] == "Namespaced", verbs: (r["verbs"]?.arrayValue ?? []).compactMap(\.stringValue),
                        categories: (r["categories"]?.arrayValue ?? []).compactMap(\.stringValue)))
                }
            }
        }
        return out
    }

    static func legacy(_ doc: JSONValue, root: String, client: APIClient) async throws -> [APIResource] {
        var paths: [(String, String, String)] = []
        if root == "/api" {
            for v in (doc["versions"]?.arrayValue ?? []).compactMap(\.stringValue) { paths.append(("", v, "/api/\(v)")) }
        } else {
            for g in doc["groups"]?.arrayValue ?? [] {
                let name = g["name"]?.stringValue ?? ""
                for v in g["versions"]?.arrayValue ?? [] {
                    if let version = v["version"]?.stringValue { paths.append((name, version, "/apis/\(name)/\(version)")) }
                }
            }
        }
        var out: [APIResource] = []
        for (group, version, path) in paths {
            let list = try await client.call("GET", path)
            for r in list["resources"]?.arrayValue ?? [] {
                guard let name = r["name"]?.stringValue, !name.contains("/") else { continue }
                out.append(APIResource(
                    group: group, version: version, kind: r["kind"]?.stringValue ?? "", plural: name,
                    singular: r["singularName"]?.stringValue ?? "", shortNames: (r["shortNames"]?.arrayValue ?? []).compactMap(\.stringValue),
                    namespaced: r["namespaced"] == true, verbs: (r["verbs"]?.arrayValue ?? []).compactMap(\.stringValue),
                    categories: (r["categories"]?.arrayValue ?? []).compactMap(\.stringValue)))
            }
        }
        return out
    }

    /// Resolves what a user typed: plural, singular, short name or kind, optionally qualified
    /// by group (`deployments.apps`) or version and group (`deployments.v1.apps`).
    public func resolve(_ text: String) -> APIResource? {
        let lower = text.lowercased()
        let parts = lower.split(separator: ".", maxSplits: 1).map(String.init)
        let name = parts[0]
        let qualifier = parts.count > 1 ? parts[1] : nil
        func matchesName(_ r: APIResource) -> Bool {
            r.plural == name || r.singular == name || r.shortNames.contains(name) || r.kind.lowercased() == name
        }
        func matchesGroup(_ r: APIResource) -> Bool {
            guard let q = qualifier else { return true }
            return r.group == q || "\(r.version).\(r.group)" == q
        }
        return resources.first { matchesName($0) && matchesGroup($0) }
    }

    /// The resource that serves `kind` in `apiVersion` (for manifests).
    public func resolve(apiVersion: String, kind: String) -> APIResource? {
        resources.first { $0.groupVersion == apiVersion && $0.kind == kind }
    }

    public func category(_ name: String) -> [APIResource] {
        var seen = Set<String>()
        return resources.filter { $0.categories.contains(name) && seen.insert($0.qualifiedPlural).inserted }
    }
}
