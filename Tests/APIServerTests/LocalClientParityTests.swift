import Foundation
@testable import APIServer
import KplaneTestSupport
import KubeClient
import KubeModel
import Testing

/// The in-process client must be indistinguishable from HTTP: the same codes and Status
/// bodies for every error, the same watch events, the same 410 for an old revision.
@Suite struct LocalClientParityTests {
    struct Outcome: Equatable {
        var steps: [String] = []
    }

    /// Runs one script of calls and describes every answer without the parts that differ by
    /// nature (uids, timestamps, revisions).
    func script(_ c: APIClient) async throws -> [String] {
        var out: [String] = []
        func record(_ label: String, _ body: () async throws -> JSONValue) async {
            do {
                let v = try await body()
                out.append("\(label): ok \(v[path: ["metadata", "name"]]?.stringValue ?? "") \(v["data"].map { JSONSerializer.string($0) } ?? "")")
            } catch let e as APIStatusError {
                let causes = (e.status?[path: ["details", "causes"]]?.arrayValue ?? []).map { JSONSerializer.string($0) }
                out.append("\(label): \(e.code) \(e.reason) \(e.message) \(causes)")
            } catch {
                out.append("\(label): \(error)")
            }
        }
        let cm = APIResource.builtin("configmaps")
        await record("create") { try await c.create(cm, namespace: "default", ["metadata": ["name": "a"], "data": ["k": "v"]]) }
        await record("duplicate") { try await c.create(cm, namespace: "default", ["metadata": ["name": "a"]]) }
        await record("missing") { try await c.get(cm, namespace: "default", name: "nope") }
        await record("bad name") { try await c.create(cm, namespace: "default", ["metadata": ["name": "Bad_Name"]]) }
        await record("wrong type") { try await c.create(cm, namespace: "default", ["metadata": ["name": "t"], "data": ["k": 1]]) }
        await record("stale update") { try await c.update(cm, namespace: "default", ["metadata": ["name": "a", "resourceVersion": "1"], "data": ["k": "w"]]) }
        await record("patch") { try await c.patch(cm, namespace: "default", name: "a", ["data": ["k": "x"]], type: "application/merge-patch+json") }
        await record("bad patch") { try await c.patch(cm, namespace: "default", name: "a", ["data": 1], type: "application/json-patch+json") }
        await record("unknown resource") { try await c.call("GET", "/api/v1/namespaces/default/widgets") }
        let list = try await c.list(cm, namespace: "default")
        let rv = list[path: ["metadata", "resourceVersion"]]?.stringValue ?? "0"
        let watcher = Task { () -> [String] in
            var events: [String] = []
            for try await e in c.watch(path: cm.path(namespace: "default"), query: [("watch", "true"), ("resourceVersion", rv)], accept: "application/json") {
                events.append("\(e.type) \(e.object.metaName) \(e.object["data"].map { JSONSerializer.string($0) } ?? "")")
                if events.count == 3 { break }
            }
            return events
        }
        try await Task.sleep(for: .milliseconds(50))
        _ = try await c.create(cm, namespace: "default", ["metadata": ["name": "b"]])
        _ = try await c.patch(cm, namespace: "default", name: "b", ["data": ["z": "1"]], type: "application/merge-patch+json")
        _ = try await c.delete(cm, namespace: "default", name: "b")
        out += try await watcher.value
        for try await e in c.watch(path: cm.path(namespace: "default"), query: [("watch", "true"), ("resourceVersion", "1")], accept: nil) {
            out.append("old watch: \(e.type) \(e.object["code"]?.intValue ?? 0) \(e.object["reason"]?.stringValue ?? "")")
            break
        }
        return out
    }

    @Test func sameAnswersInProcessAndOverHTTP() async throws {
        let server = try ServerProcess(extraArgs: ["--default-watch-cache-size", "10"])
        let http = try HTTPAPIClient(config: try RestConfig.resolve(try Kubeconfig.load(paths: [server.kubeconfig]), ConfigOverrides()))
        var config = APIServerConfig(dataDir: temporaryDirectory())
        config.watchCacheSize = 10
        let local = try await APIServer(config: config).localClient
        // Push both past their watch history so revision 1 is compacted on each.
        for c in [http, local] as [APIClient] {
            for i in 0..<20 { _ = try await c.create(.builtin("configmaps"), namespace: "kube-public", ["metadata": ["name": .string("f\(i)")]]) }
        }
        let overHTTP = try await script(http)
        let inProcess = try await script(local)
        #expect(overHTTP == inProcess)
        #expect(overHTTP.contains { $0.hasPrefix("duplicate: 409 AlreadyExists") })
        #expect(overHTTP.last == "old watch: ERROR 410 Expired")
    }
}
