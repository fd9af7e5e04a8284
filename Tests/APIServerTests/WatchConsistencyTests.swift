import Foundation
import KplaneTestSupport
import Testing
@testable import APIServer
@testable import KubeModel

/// etcd's and kube-apiserver's watch guarantees, under concurrent writers: every watch sees
/// strictly increasing revisions, a resumed watch gets exactly the later changes, reads see
/// only committed revisions, and a watcher that stops reading costs nothing but its own watch.
@Suite(.timeLimit(.minutes(5))) struct WatchConsistencyTests {
    static let writers = 8
    static let writesEach = 150

    func cm(_ name: String, _ value: Int) -> JSONValue {
        ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string(name), "namespace": "default"], "data": ["v": .string(String(value))]]
    }

    /// 8 writers, each updating a few objects of its own over and over (creates, updates and deletes).
    func write(_ store: Store) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for w in 0..<Self.writers {
                group.addTask {
                    for i in 0..<Self.writesEach {
                        let key = ObjectKey(resource: "configmaps", namespace: "default", name: "w\(w)-\(i % 5)")
                        if i % 7 == 6, case .deleted = try await store.delete(key) { continue }
                        try await store.put(key, cm(key.name, i))
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    @Test func everyWatchSeesEveryChangeOnceInRevisionOrder() async throws {
        // Room for every change: these watchers read only after the writers are done.
        let store = try Store(path: temporaryDirectory() + "/db", watchBufferSize: 2000)
        let first = store.currentRevision
        let channels = try (0..<4).map { _ in try store.watch(resource: "configmaps", namespace: nil, fromRV: first, initial: false).channel }
        try await write(store)
        let total = Int(store.currentRevision - first)
        #expect(total == Self.writers * Self.writesEach)
        for c in channels {
            let seen = await revisions(c, total)
            #expect(seen.count == total)
            #expect(seen == Array((first + 1)...store.currentRevision), "out of order or repeated")
            c.close()
        }
    }

    @Test func aResumedWatchGetsExactlyTheLaterChanges() async throws {
        let store = try Store(path: temporaryDirectory() + "/db")
        let first = store.currentRevision
        let target = first + Int64(Self.writers * Self.writesEach)
        let writes = Task { try await write(store) }
        // Drop and resume repeatedly while the writers run, each time from the last revision seen.
        var seen: [Int64] = []
        var last = first
        while last < target {
            try Task.checkCancellation()
            let c = try store.watch(resource: "configmaps", namespace: nil, fromRV: last, initial: false).channel
            let got = await revisions(c, min(Int.random(in: 1...40), Int(target - last)))
            c.close()
            seen += got
            last = got.last ?? last
        }
        try await writes.value
        #expect(seen.count == Int(target - first))
        #expect(seen == Array((first + 1)...store.currentRevision), "missed, repeated or out of order")
    }

    @Test func readsNeverShowARevisionBeforeItIsDurable() async throws {
        let dir = temporaryDirectory()
        let store = try Store(path: dir + "/db")
        let writes = Task { try await write(store) }
        // Whatever revision a reader saw must be on disk already: a second connection reads it.
        let check = try SQLiteDB(path: dir + "/db")
        var checked = 0
        while checked < 50 {
            let rv = try store.getList(resource: "configmaps", namespace: nil, match: .newest).revision
            var durable: Int64 = 0
            try check.prepare("SELECT COALESCE(MAX(rv), 0) FROM changes").forEachRow { durable = $0.int(0) }
            #expect(durable >= rv)
            checked += 1
            try await Task.sleep(for: .milliseconds(2))
        }
        try await writes.value
    }

    @Test func aWatcherThatStopsReadingIsClosedAndSlowsNothing() async throws {
        let store = try Store(path: nil, watchBufferSize: 10)
        let stuck = try store.watch(resource: "configmaps", namespace: nil, fromRV: 0, initial: false).channel
        let reader = try store.watch(resource: "configmaps", namespace: nil, fromRV: 0, initial: false).channel
        for i in 0..<10 {
            try await store.put(ObjectKey(resource: "configmaps", namespace: "default", name: "a\(i)"), cm("a\(i)", i))
        }
        #expect(await revisions(reader, 10).count == 10)
        #expect(!stuck.overflowed)
        try await store.put(ObjectKey(resource: "configmaps", namespace: "default", name: "b"), cm("b", 0))
        // The eleventh unread change closes the stuck watch and frees what it held.
        #expect(stuck.overflowed)
        #expect(await stuck.next() == nil)
        #expect(await revisions(reader, 1) == [11])
        #expect(store.watcherCount == 1)
        reader.close()
        #expect(store.watcherCount == 0)
    }

    @Test func watchersCancelledDuringWritesNeverBlockTheStore() async throws {
        let store = try Store(path: temporaryDirectory() + "/db", watchBufferSize: 50)
        let writes = Task { try await write(store) }
        // Watchers come and go, some reading, some not, some cancelled mid-read.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    for _ in 0..<40 {
                        let c = try store.watch(resource: "configmaps", namespace: nil, fromRV: store.currentRevision, initial: false).channel
                        let reading = Task { _ = await revisions(c, 1000) }
                        try await Task.sleep(for: .milliseconds(Int.random(in: 0...3)))
                        if Bool.random() { reading.cancel() } else { c.close() }
                        _ = await reading.value
                    }
                }
            }
            try await group.waitForAll()
        }
        try await writes.value
        #expect(store.watcherCount == 0)
        #expect(store.currentRevision == Int64(Self.writers * Self.writesEach))
    }

    @Test func aBookmarkNeverNamesARevisionBelowOneAlreadyDelivered() async throws {
        let store = try Store(path: nil)
        let c = try store.watch(resource: "configmaps", namespace: "default", fromRV: 0, initial: false).channel
        for i in 0..<5 {
            try await store.put(ObjectKey(resource: "configmaps", namespace: "default", name: "b\(i)"), cm("b\(i)", i))
        }
        // Even when told an older delivery point, the bookmark follows the events in its buffer.
        c.bookmark(deliveredRV: 2)
        c.bookmark(deliveredRV: 3)  // at most one waits at a time
        var items: [String] = []
        for _ in 0..<6 {
            switch await c.next() {
            case .event(let e): items.append("event \(e.rv)")
            case .bookmark(let rv): items.append("bookmark \(rv)")
            default: items.append("?")
            }
        }
        #expect(items == ["event 1", "event 2", "event 3", "event 4", "event 5", "bookmark 5"])
        c.close()
    }

    @Test func aFailedCommitFailsTheWritesQueuedBehindItAndReusesNothingVisible() async throws {
        let dir = temporaryDirectory()
        let store = try Store(path: dir + "/db")
        try await store.put(ObjectKey(resource: "configmaps", namespace: "default", name: "ok"), cm("ok", 1))
        // Another connection holds the write lock, so the writer's next commit fails (busy).
        let blocker = try SQLiteDB(path: dir + "/db")
        try blocker.exec("BEGIN IMMEDIATE")
        await #expect(throws: (any Error).self) {
            try await store.put(ObjectKey(resource: "configmaps", namespace: "default", name: "lost"), cm("lost", 1))
        }
        try blocker.exec("ROLLBACK")
        #expect(store.get(ObjectKey(resource: "configmaps", namespace: "default", name: "lost")) == nil)
        let e = try await store.put(ObjectKey(resource: "configmaps", namespace: "default", name: "next"), cm("next", 1))
        #expect(e.rv == 2)
        #expect(store.currentRevision == 2)
    }
}
