import Foundation
import KplaneTestSupport
import Synchronization
import Testing
@testable import APIServer
@testable import KubeModel

/// A storage engine under test: how to open one, and whether its writes outlive the process.
enum StorageEngine: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, memory

    var testDescription: String { rawValue }
    var durable: Bool { self == .sqlite }

    /// A fresh, empty store.
    func open(historyLimit: Int = 20_000) throws -> any StorageInterface {
        try open(at: temporaryDirectory() + "/db", historyLimit: historyLimit)
    }

    /// A store over the data at `path` (a durable engine's file; a memory engine starts empty).
    func open(at path: String, historyLimit: Int = 20_000) throws -> any StorageInterface {
        switch self {
        case .sqlite: try Store(path: path, historyLimit: historyLimit)
        case .memory: try Store(path: nil, historyLimit: historyLimit)
        }
    }
}

/// What every storage engine promises the API service (`StorageInterface`), run against each
/// engine: the guarantees kube-apiserver relies on from etcd.
@Suite(.timeLimit(.minutes(3))) struct StorageContractTests {
    func cm(_ name: String, _ value: String = "v") -> JSONValue {
        ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string(name), "namespace": "default", "uid": .string("uid-" + name)],
         "data": ["k": .string(value)]]
    }

    func key(_ name: String, namespace: String = "default") -> ObjectKey {
        ObjectKey(resource: "configmaps", namespace: namespace, name: name)
    }

    @Test(arguments: StorageEngine.allCases)
    func concurrentWritersProduceStrictlyIncreasingRevisions(_ engine: StorageEngine) async throws {
        let store = try engine.open()
        defer { store.close() }
        let channels = try (0..<3).map { _ in try store.watch(resource: "configmaps", namespace: nil, fromRV: 0, initial: false).channel }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for w in 0..<4 {
                group.addTask {
                    for i in 0..<40 {
                        let k = key("w\(w)-\(i % 3)")
                        if i % 5 == 4, case .deleted = try await store.delete(k) { continue }
                        try await store.put(k, cm(k.name, String(i)))
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(store.currentRevision == 160)
        for c in channels {
            #expect(await revisions(c, 160) == Array(1...160))
            c.close()
        }
    }

    @Test(arguments: StorageEngine.allCases)
    func aWatchResumedFromAnySeenRevisionGetsExactlyTheLaterEvents(_ engine: StorageEngine) async throws {
        let store = try engine.open()
        defer { store.close() }
        for i in 0..<6 { try await store.put(key("r\(i % 2)"), cm("r\(i % 2)", String(i))) }
        _ = try await store.delete(key("r0"))
        for seen in Int64(0)...6 {
            let c = try store.watch(resource: "configmaps", namespace: "default", fromRV: seen, initial: false).channel
            #expect(await revisions(c, Int(7 - seen)) == Array((seen + 1)...7).map { $0 })
            c.close()
        }
        let c = try store.watch(resource: "configmaps", namespace: nil, fromRV: 6, initial: false).channel
        let item = await c.next()
        c.close()
        guard case .replay(let entry) = item else { Issue.record("expected the replayed deletion, got \(String(describing: item))"); return }
        #expect(entry.type == .deleted && entry.key == key("r0") && entry.rv == 7)
    }

    @Test(arguments: StorageEngine.allCases)
    func compactedRevisionsExpire(_ engine: StorageEngine) async throws {
        let store = try engine.open(historyLimit: 5)
        defer { store.close() }
        for i in 0..<10 { try await store.put(key("c\(i)"), cm("c\(i)")) }
        #expect(throws: TooOldResourceVersion.self) { try store.watch(resource: "configmaps", namespace: nil, fromRV: 2, initial: false) }
        store.compact(through: 8)
        #expect(store.compactedRevision == 8)
        #expect(throws: TooOldResourceVersion.self) { try store.watch(resource: "configmaps", namespace: nil, fromRV: 7, initial: false) }
        #expect(throws: RevisionUnavailable.compacted(requested: 7, current: 10)) {
            try store.getList(resource: "configmaps", namespace: nil, match: .exact(7))
        }
        let c = try store.watch(resource: "configmaps", namespace: nil, fromRV: 8, initial: false).channel
        #expect(await revisions(c, 2) == [9, 10])
        c.close()
        // A watch with the objects that exist needs no history.
        let start = try store.watch(resource: "configmaps", namespace: nil, fromRV: 0, initial: true)
        #expect(start.initial.count == 10 && start.fromRV == 10)
        start.channel.close()
    }

    @Test(arguments: StorageEngine.allCases)
    func creatingAnExistingKeyFails(_ engine: StorageEngine) async throws {
        let store = try engine.open()
        defer { store.close() }
        guard case .created(let first) = try await store.create(key("a"), cm("a", "1")) else { Issue.record("first create failed"); return }
        #expect(first.type == .added && first.rv == 1)
        #expect(first.object[path: ["metadata", "resourceVersion"]] == "1")
        guard case .alreadyExists = try await store.create(key("a"), cm("a", "2")) else { Issue.record("second create succeeded"); return }
        #expect(store.currentRevision == 1)
        #expect(store.get(key("a"))?.value["data"] == ["k": "1"])
        // The same name in another namespace is another key.
        guard case .created = try await store.create(key("a", namespace: "other"), cm("a")) else { Issue.record("other namespace"); return }
    }

    @Test(arguments: StorageEngine.allCases)
    func preconditionsOnUIDAndResourceVersion(_ engine: StorageEngine) async throws {
        let store = try engine.open()
        defer { store.close() }
        try await store.put(key("p"), cm("p"))
        let bump: (StoredObject) -> UpdateDecision<Void> = { s in
            var v = s.value
            v["data"] = ["k": "bumped"]
            return .put(v, ())
        }
        let wrongUID = try await store.guaranteedUpdate(key("p"), preconditions: .init(uid: "other"), tryUpdate: bump)
        guard case .preconditionFailed(let f1) = wrongUID else { Issue.record("uid precondition ignored: \(wrongUID)"); return }
        #expect(f1 == .uid(precondition: "other", actual: "uid-p"))
        #expect(f1.message == "Precondition failed: UID in precondition: other, UID in object meta: uid-p")
        let wrongRV = try await store.guaranteedUpdate(key("p"), preconditions: .init(resourceVersion: "9"), tryUpdate: bump)
        guard case .preconditionFailed(let f2) = wrongRV else { Issue.record("resourceVersion precondition ignored: \(wrongRV)"); return }
        #expect(f2.message == "Precondition failed: ResourceVersion in precondition: 9, ResourceVersion in object meta: 1")
        guard case .preconditionFailed = try await store.delete(key("p"), preconditions: .init(uid: "other")) else {
            Issue.record("delete ignored its uid precondition"); return
        }
        #expect(store.currentRevision == 1)
        let matching = try await store.guaranteedUpdate(key("p"), preconditions: .init(uid: "uid-p", resourceVersion: "1"), tryUpdate: bump)
        guard case .updated(let e, _) = matching else { Issue.record("matching preconditions failed: \(matching)"); return }
        #expect(e.rv == 2 && e.type == .modified && e.object["data"] == ["k": "bumped"])
        guard case .deleted = try await store.delete(key("p"), preconditions: .init(uid: "uid-p", resourceVersion: "2")) else {
            Issue.record("delete with matching preconditions failed"); return
        }
    }

    @Test(arguments: StorageEngine.allCases)
    func guaranteedUpdateRetriesWhenTheObjectChangedUnderIt(_ engine: StorageEngine) async throws {
        let store = try engine.open()
        defer { store.close() }
        try await store.put(key("n"), cm("n", "0"))
        // The first decision is overtaken by another writer; the update must be decided again
        // against that writer's object, not overwrite it.
        let calls = Mutex(0)
        let outcome = try await store.guaranteedUpdate(key("n")) { s -> UpdateDecision<Void> in
            let n = Int(s.value[path: ["data", "k"]]?.stringValue ?? "") ?? -1
            if calls.withLock({ $0 += 1; return $0 }) == 1 {
                // No store lock is held while deciding, so another write can finish meanwhile.
                try await store.put(key("n"), cm("n", "10"))
            }
            var v = s.value
            v["data"] = ["k": .string(String(n + 1))]
            return .put(v, ())
        }
        guard case .updated(let e, _) = outcome else { Issue.record("\(outcome)"); return }
        #expect(calls.withLock { $0 } == 2)
        #expect(e.rv == 3 && e.object["data"] == ["k": "11"])
        // And under contention, no increment is lost.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    for _ in 0..<25 {
                        _ = try await store.guaranteedUpdate(key("n")) { s -> UpdateDecision<Void> in
                            var v = s.value
                            v["data"] = ["k": .string(String((Int(s.value[path: ["data", "k"]]?.stringValue ?? "") ?? -1000) + 1))]
                            return .put(v, ())
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(store.get(key("n"))?.value[path: ["data", "k"]] == "111")
        // A decision to write nothing writes nothing, and says what it read.
        guard case .unchanged(let read, _) = try await store.guaranteedUpdate(key("n"), tryUpdate: { _ in UpdateDecision<Void>.unchanged(()) }) else {
            Issue.record("no-op update wrote"); return
        }
        #expect(read.rv == store.currentRevision)
        guard case .notFound = try await store.guaranteedUpdate(key("absent"), tryUpdate: { _ in UpdateDecision<Void>.unchanged(()) }) else {
            Issue.record("update of a missing key"); return
        }
    }

    @Test(arguments: StorageEngine.allCases)
    func listsReadAtARevision(_ engine: StorageEngine) async throws {
        let store = try engine.open()
        defer { store.close() }
        for name in ["b", "a", "c"] { try await store.put(key(name), cm(name)) }
        try await store.put(key("z", namespace: "kube-system"), cm("z"))
        let all = try store.getList(resource: "configmaps", namespace: nil, match: .newest)
        #expect(all.revision == 4 && all.revision == store.currentRevision)
        #expect(all.items.map { $0.value[path: ["metadata", "name"]]?.stringValue ?? "" } == ["a", "b", "c", "z"])
        #expect(all.items.map(\.rv) == [2, 1, 3, 4])
        let inDefault = try store.getList(resource: "configmaps", namespace: "default", match: .exact(4))
        #expect(inDefault.items.count == 3 && inDefault.revision == 4)
        let notOlder = try store.getList(resource: "configmaps", namespace: nil, match: .notOlderThan(2))
        #expect(notOlder.revision >= 2 && notOlder.items.count == 4)
        #expect(try store.getList(resource: "secrets", namespace: nil, match: .newest).items.isEmpty)
        #expect(throws: RevisionUnavailable.future(requested: 5, current: 4)) {
            try store.getList(resource: "configmaps", namespace: nil, match: .exact(5))
        }
    }

    /// What `name → data.k @ rv` a list holds, in its order.
    func states(_ list: StoredList) -> [String] {
        list.items.map { o in
            "\(o.value[path: ["metadata", "name"]]?.stringValue ?? "?")=\(o.value[path: ["data", "k"]]?.stringValue ?? "?")@\(o.rv)"
        }
    }

    /// Writes a history every exact list below checks: creates, an update, a delete, a re-create,
    /// and a write in another namespace.
    func writeHistory(_ store: any StorageInterface) async throws {
        try await store.put(key("a"), cm("a", "1"))                       // 1
        try await store.put(key("b"), cm("b", "1"))                       // 2
        try await store.put(key("b"), cm("b", "2"))                       // 3
        _ = try await store.delete(key("a"))                              // 4
        try await store.put(key("x", namespace: "other"), cm("x", "1"))   // 5
        try await store.put(key("a"), cm("a", "again"))                   // 6
        try await store.put(key("c"), cm("c", "1"))                       // 7
    }

    /// The state a list at each revision must show: etcd's MVCC read at that revision.
    let expectedInDefault: [Int64: [String]] = [
        0: [], 1: ["a=1@1"], 2: ["a=1@1", "b=1@2"], 3: ["a=1@1", "b=2@3"], 4: ["b=2@3"], 5: ["b=2@3"],
        6: ["a=again@6", "b=2@3"], 7: ["a=again@6", "b=2@3", "c=1@7"],
    ]

    @Test(arguments: StorageEngine.allCases)
    func anExactListReadsTheStateAtItsRevision(_ engine: StorageEngine) async throws {
        let store = try engine.open()
        defer { store.close() }
        try await writeHistory(store)
        for (rv, want) in expectedInDefault.sorted(by: { $0.key < $1.key }) {
            let list = try store.getList(resource: "configmaps", namespace: "default", match: .exact(rv))
            #expect(states(list) == want, "at \(rv)")
            #expect(list.revision == rv)
        }
        let everywhere = try store.getList(resource: "configmaps", namespace: nil, match: .exact(5))
        #expect(states(everywhere) == ["b=2@3", "x=1@5"])
        // Reading the past changes nothing now.
        #expect(states(try store.getList(resource: "configmaps", namespace: "default", match: .newest)) == expectedInDefault[7])
    }

    @Test(arguments: StorageEngine.allCases.filter(\.durable))
    func anExactListReadsThePastAfterAReopen(_ engine: StorageEngine) async throws {
        let path = temporaryDirectory() + "/db"
        let first = try engine.open(at: path)
        try await writeHistory(first)
        first.close()
        let reopened = try engine.open(at: path)
        for (rv, want) in expectedInDefault.sorted(by: { $0.key < $1.key }) {
            #expect(states(try reopened.getList(resource: "configmaps", namespace: "default", match: .exact(rv))) == want, "at \(rv)")
        }
        reopened.close()
        // Reopened with a history that keeps revisions 3 to 7 only: a's state before its delete
        // at 4 is gone, so revision 3 expires instead of being guessed; 4 can still be read.
        let short = try engine.open(at: path, historyLimit: 5)
        defer { short.close() }
        #expect(states(try short.getList(resource: "configmaps", namespace: "default", match: .exact(4))) == expectedInDefault[4])
        #expect(throws: RevisionUnavailable.compacted(requested: 3, current: 7)) {
            try short.getList(resource: "configmaps", namespace: "default", match: .exact(3))
        }
        #expect(throws: RevisionUnavailable.compacted(requested: 1, current: 7)) {
            try short.getList(resource: "configmaps", namespace: "default", match: .exact(1))
        }
    }

    @Test(arguments: StorageEngine.allCases)
    func deleteRemovesTheObjectAndTellsWatches(_ engine: StorageEngine) async throws {
        let store = try engine.open()
        defer { store.close() }
        try await store.put(key("d"), cm("d"))
        let c = try store.watch(resource: "configmaps", namespace: "default", fromRV: 1, initial: false).channel
        guard case .deleted(let e) = try await store.delete(key("d")) else { Issue.record("delete failed"); return }
        #expect(e.type == .deleted && e.rv == 2 && e.object[path: ["metadata", "resourceVersion"]] == "2")
        #expect(e.old?["data"] == ["k": "v"])
        #expect(store.get(key("d")) == nil)
        guard case .notFound = try await store.delete(key("d")) else { Issue.record("second delete found it"); return }
        #expect(store.currentRevision == 2)
        let item = await c.next()
        c.close()
        guard case .event(let seen) = item else { Issue.record("no DELETED event: \(String(describing: item))"); return }
        #expect(seen.type == .deleted && seen.rv == 2)
    }

    @Test(arguments: StorageEngine.allCases.filter(\.durable))
    func acknowledgedWritesSurviveACrash(_ engine: StorageEngine) async throws {
        let path = temporaryDirectory() + "/db"
        // Never closed: the reopen below finds whatever a crash at this point would leave.
        let crashed = try engine.open(at: path)
        for i in 0..<50 { try await crashed.put(key("k\(i)"), cm("k\(i)")) }
        _ = try await crashed.delete(key("k7"))
        try await crashed.put(key("k8"), cm("k8", "changed"))
        let acknowledged = crashed.currentRevision
        let reopened = try engine.open(at: path)
        defer { reopened.close() }
        #expect(reopened.currentRevision == acknowledged)
        #expect(try reopened.getList(resource: "configmaps", namespace: "default", match: .newest).items.count == 49)
        #expect(reopened.get(key("k7")) == nil)
        #expect(reopened.get(key("k8"))?.value["data"] == ["k": "changed"])
        // The history survives too: a watch resumes across the crash.
        let c = try reopened.watch(resource: "configmaps", namespace: nil, fromRV: acknowledged - 2, initial: false).channel
        #expect(await revisions(c, 2) == [acknowledged - 1, acknowledged])
        c.close()
        crashed.close()
    }
}
