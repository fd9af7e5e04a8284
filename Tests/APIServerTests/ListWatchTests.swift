import Foundation
import KplaneTestSupport
import KubeClient
import Testing

/// The HTTP client's list-and-watch against a real server: resume after the server ends a
/// watch, and a fresh list after 410 Expired.
@Suite struct ListWatchTests {
    func client(_ server: ServerProcess) throws -> HTTPAPIClient {
        try HTTPAPIClient(config: try RestConfig.resolve(try Kubeconfig.load(paths: [server.kubeconfig]), ConfigOverrides()))
    }

    @Test func resumesAfterTheServerEndsTheWatch() async throws {
        let server = try ServerProcess()
        let c = try client(server)
        let cm = try #require(Discovery(resources: try await Discovery.fetch(client: c).resources).resolve("configmaps"))
        _ = try await c.create(cm, namespace: "default", ["metadata": ["name": "first"]])
        // A 1-second server timeout makes the client re-watch from its last revision.
        let events = ListWatch(client: c, path: cm.path(namespace: "default"), timeoutSeconds: 1)
        var seen: [String] = []
        let writer = Task {
            try await Task.sleep(for: .milliseconds(1500))
            _ = try await c.create(cm, namespace: "default", ["metadata": ["name": "second"]])
            _ = try await c.delete(cm, namespace: "default", name: "first")
        }
        for try await e in events {
            switch e {
            case .listed(let items, _): seen.append("listed:" + items.compactMap { $0[path: ["metadata", "name"]]?.stringValue }.joined(separator: ","))
            case .added(let o): seen.append("added:" + (o[path: ["metadata", "name"]]?.stringValue ?? ""))
            case .modified(let o): seen.append("modified:" + (o[path: ["metadata", "name"]]?.stringValue ?? ""))
            case .deleted(let o): seen.append("deleted:" + (o[path: ["metadata", "name"]]?.stringValue ?? ""))
            }
            if seen.count == 3 { break }
        }
        try await writer.value
        #expect(seen == ["listed:first", "added:second", "deleted:first"])
    }

    struct ConfigMap: Codable {
        struct Meta: Codable { var name: String; var namespace: String?; var resourceVersion: String? }
        var apiVersion = "v1"
        var kind = "ConfigMap"
        var metadata: Meta
        var data: [String: String]?
    }

    @Test func typedVerbsRoundTripCodableModels() async throws {
        let server = try ServerProcess()
        let c = try client(server)
        let cm = try #require(try await Discovery.fetch(client: c).resolve("cm"))
        var created = try await c.create(cm, namespace: "default", object: ConfigMap(metadata: .init(name: "typed"), data: ["a": "1"]))
        #expect(created.metadata.namespace == "default" && created.metadata.resourceVersion != nil)
        created.data = ["b": "2"]
        let updated = try await c.update(cm, namespace: "default", object: created)
        #expect(updated.data == ["b": "2"])
        let all = try await c.list(ConfigMap.self, cm, namespace: "default")
        #expect(all.map(\.metadata.name) == ["typed"])
        await #expect(throws: APIStatusError.self) { _ = try await c.get(ConfigMap.self, cm, namespace: "default", name: "nope") }
    }

    @Test func relistsAfterExpired() async throws {
        let server = try ServerProcess(extraArgs: ["--default-watch-cache-size", "10"])
        let c = try client(server)
        let cm = try #require(try await Discovery.fetch(client: c).resolve("configmaps"))
        let old = try await c.list(cm, namespace: "default")[path: ["metadata", "resourceVersion"]]?.stringValue ?? "0"
        for i in 0..<30 { _ = try await c.create(cm, namespace: "default", ["metadata": ["name": .string("c\(i)")]]) }
        // A watch from a compacted revision gets a 410 ERROR event, as kube-apiserver sends it.
        var sawExpired = false
        for try await e in c.watch(path: cm.path(namespace: "default"), query: [("watch", "true"), ("resourceVersion", old)], accept: nil) {
            sawExpired = e.type == "ERROR" && e.object["code"] == 410
            break
        }
        #expect(sawExpired)
        // ListWatch answers that by listing again.
        for try await e in ListWatch(client: c, path: cm.path(namespace: "default")) {
            if case .listed(let items, _) = e { #expect(items.count == 30) }
            break
        }
    }
}
