import Foundation
import KplaneTestSupport
import Testing
@testable import APIServer
@testable import KubeModel

/// The revisions of the next `n` changes a watch channel hands out.
func revisions(_ channel: WatchChannel, _ n: Int) async -> [Int64] {
    var out: [Int64] = []
    while out.count < n, let item = await channel.next() {
        switch item {
        case .event(let e): out.append(e.rv)
        case .replay(let e): out.append(e.rv)
        case .bookmark: break
        }
    }
    return out
}

extension StorageInterface {
    /// Creates `key`, or replaces what is there: the tests' plain write.
    @discardableResult
    func put(_ key: ObjectKey, _ value: JSONValue) async throws -> WatchEvent {
        while true {
            if case .created(let e) = try await create(key, value) { return e }
            if case .updated(let e, _) = try await guaranteedUpdate(key, tryUpdate: { _ in UpdateDecision.put(value, ()) }) { return e }
        }
    }
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
            for i in 0..<20 { try await store.put(key("c\(i)"), cm("c\(i)")) }
            _ = try await store.delete(key("c3"))
            lastRV = store.currentRevision
            store.close()
        }
        let reopened = try Store(path: dir + "/db")
        #expect(try reopened.getList(resource: "configmaps", namespace: "default", match: .newest).items.count == 19)
        #expect(reopened.get(key("c3")) == nil)
        #expect(reopened.currentRevision == lastRV)
        let e = try await reopened.put(key("new"), cm("new"))
        #expect(e.rv == lastRV + 1)
        #expect(reopened.get(key("new"))?.value[path: ["metadata", "resourceVersion"]] == .string(String(lastRV + 1)))
    }

    @Test func theLogIsCopiedBackWhileWritesGoOn() async throws {
        let dir = temporaryDirectory()
        let size = { (file: String) in ((try? FileManager.default.attributesOfItem(atPath: dir + "/" + file))?[.size] as? Int) ?? 0 }
        let store = try Store(path: dir + "/db", checkpointPages: 50)
        let payload = String(repeating: "x", count: 2000)
        // About 2 MB of changes; SQLite's own checkpoints are off, so only the checkpointer
        // copies them into the database file.
        for i in 0..<500 { try await store.put(key("w\(i)"), cm("w\(i)", payload + String(i))) }
        let deadline = Date().addingTimeInterval(30)
        while size("db") < 1_000_000 && Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(size("db") >= 1_000_000)
        store.close()
        let reopened = try Store(path: dir + "/db")
        #expect(try reopened.getList(resource: "configmaps", namespace: "default", match: .newest).items.count == 500)
    }

    @Test func concurrentWritesAreAllDurable() async throws {
        let dir = temporaryDirectory()
        let store = try Store(path: dir + "/db")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<200 {
                group.addTask { try await store.put(key("g\(i)"), cm("g\(i)")) }
            }
            try await group.waitForAll()
        }
        store.close()
        let reopened = try Store(path: dir + "/db")
        #expect(try reopened.getList(resource: "configmaps", namespace: nil, match: .newest).items.count == 200)
    }

    @Test func watchResumesFromHistoryAndCompactedRevisionExpires() async throws {
        let store = try Store(path: temporaryDirectory() + "/db", historyLimit: 5)
        for i in 0..<10 { try await store.put(key("w\(i)"), cm("w\(i)")) }
        let start = try store.watch(resource: "configmaps", namespace: nil, fromRV: 7, initial: false)
        #expect(await revisions(start.channel, 3) == [8, 9, 10])
        start.channel.close()
        #expect(throws: TooOldResourceVersion.self) { try store.watch(resource: "configmaps", namespace: nil, fromRV: 2, initial: false) }
    }

    @Test func historyIsReloadedAfterRestart() async throws {
        let dir = temporaryDirectory()
        do {
            let store = try Store(path: dir + "/db")
            for i in 0..<5 { try await store.put(key("h\(i)"), cm("h\(i)")) }
            store.close()
        }
        let store = try Store(path: dir + "/db")
        let start = try store.watch(resource: "configmaps", namespace: nil, fromRV: 3, initial: false)
        var names: [String] = []
        while names.count < 2, let item = await start.channel.next() {
            if case .replay(let e) = item { names.append(e.key.name) }
        }
        start.channel.close()
        #expect(names == ["h3", "h4"])
    }

    @Test func failedDecisionWritesNothing() async throws {
        let store = try Store(path: nil)
        struct Boom: Error {}
        let missing = try await store.guaranteedUpdate(key("x")) { _ -> UpdateDecision<Void> in throw Boom() }
        guard case .notFound = missing else { Issue.record("\(missing)"); return }
        #expect(store.currentRevision == 0)
        #expect(store.get(key("x")) == nil)
        try await store.put(key("x"), cm("x"))
        await #expect(throws: Boom.self) { try await store.guaranteedUpdate(key("x")) { _ -> UpdateDecision<Void> in throw Boom() } }
        #expect(store.currentRevision == 1)
        #expect(store.get(key("x"))?.value["data"] == ["k": "v"])
    }
}
