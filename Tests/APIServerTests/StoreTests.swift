import Foundation
import Testing
@testable import APIServer
@testable import KubeModel

func temporaryDirectory() -> String {
    let path = NSTemporaryDirectory() + "kplane-test-" + UUID().uuidString
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

@Suite struct StoreTests {
    func cm(_ name: String, _ value: String = "v") -> JSONValue {
        ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string(name), "namespace": "default"], "data": ["k": .string(value)]]
    }

    func key(_ name: String) -> ObjectKey { ObjectKey(resource: "configmaps", namespace: "default", name: name) }

    @Test func writesSurviveReopenAndRevisionsStayMonotonic() async throws {
        let dir = temporaryDirectory()
        var lastRV: Int64 = 0
        do {
            let store = try Store(path: dir + "/db")
            for i in 0..<20 { try await store.write(key("c\(i)")) { _ in .put(cm("c\(i)")) } }
            try await store.write(key("c3")) { _ in .delete }
            lastRV = store.currentRV
            store.close()
        }
        let reopened = try Store(path: dir + "/db")
        #expect(reopened.list(resource: "configmaps", namespace: "default").items.count == 19)
        #expect(reopened.get(key("c3")) == nil)
        #expect(reopened.currentRV == lastRV)
        let e = try await reopened.write(key("new")) { _ in .put(cm("new")) }
        #expect(e?.rv == lastRV + 1)
        #expect(reopened.get(key("new"))?.value[path: ["metadata", "resourceVersion"]] == .string(String(lastRV + 1)))
    }

    @Test func concurrentWritesAreAllDurable() async throws {
        let dir = temporaryDirectory()
        let store = try Store(path: dir + "/db")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<200 {
                group.addTask { try await store.write(key("g\(i)")) { _ in .put(cm("g\(i)")) } }
            }
            try await group.waitForAll()
        }
        store.close()
        let reopened = try Store(path: dir + "/db")
        #expect(reopened.list(resource: "configmaps", namespace: nil).items.count == 200)
    }

    @Test func watchResumesFromHistoryAndCompactedRevisionExpires() async throws {
        let store = try Store(path: temporaryDirectory() + "/db", historyLimit: 5)
        for i in 0..<10 { try await store.write(key("w\(i)")) { _ in .put(cm("w\(i)")) } }
        guard case .ok(let events, let cancel) = store.watch(resource: "configmaps", namespace: nil, fromRV: 7) else {
            Issue.record("recent revision should resume")
            return
        }
        var seen: [Int64] = []
        for await e in events {
            seen.append(e.rv)
            if seen.count == 3 { break }
        }
        cancel()
        #expect(seen == [8, 9, 10])
        guard case .expired = store.watch(resource: "configmaps", namespace: nil, fromRV: 2) else {
            Issue.record("compacted revision should expire")
            return
        }
    }

    @Test func historyIsReloadedAfterRestart() async throws {
        let dir = temporaryDirectory()
        do {
            let store = try Store(path: dir + "/db")
            for i in 0..<5 { try await store.write(key("h\(i)")) { _ in .put(cm("h\(i)")) } }
            store.close()
        }
        let store = try Store(path: dir + "/db")
        guard case .ok(let events, let cancel) = store.watch(resource: "configmaps", namespace: nil, fromRV: 3) else {
            Issue.record("should resume after restart")
            return
        }
        var names: [String] = []
        for await e in events {
            names.append(e.key.name)
            if names.count == 2 { break }
        }
        cancel()
        #expect(names == ["h3", "h4"])
    }

    @Test func failedDecisionWritesNothing() async throws {
        let store = try Store(path: nil)
        struct Boom: Error {}
        await #expect(throws: Boom.self) { try await store.write(key("x")) { _ in throw Boom() } }
        #expect(store.currentRV == 0)
        #expect(store.get(key("x")) == nil)
    }
}
