import Foundation
import KubeModel
import Synchronization

/// The object store: SQLite (WAL) for durability, an in-memory copy of every object for reads,
/// a global revision counter, and a change history that backs watches.
public final class Store: Sendable {
    struct State {
        var collections: [String: [String: StoredObject]] = [:]
        var rv: Int64 = 0
        /// Events already committed and dispatched, oldest first; resume point for watches.
        var history: [HistoryEntry] = []
        var historyStart = 0
        /// Watches may resume from any revision >= this; older ones get 410 Expired.
        var compactedRV: Int64 = 0
        var dispatchedRV: Int64 = 0
        var watchers: [Int: Watcher] = [:]
        var nextWatcherID = 0
        /// ownerReferences[].uid → dependents, for garbage collection without scans.
        var dependents: [String: Set<ObjectKey>] = [:]

        mutating func index(_ key: ObjectKey, old: JSONValue?, new: JSONValue?) {
            let before = Store.ownerUIDs(old)
            let after = Store.ownerUIDs(new)
            guard before != after else { return }
            for uid in before where !after.contains(uid) {
                dependents[uid]?.remove(key)
                if dependents[uid]?.isEmpty == true { dependents[uid] = nil }
            }
            for uid in after where !before.contains(uid) { dependents[uid, default: []].insert(key) }
        }
    }

    static func ownerUIDs(_ v: JSONValue?) -> [String] {
        (v?[path: ["metadata", "ownerReferences"]]?.arrayValue ?? []).compactMap { $0["uid"]?.stringValue }
    }

    /// A committed change kept for watch resume: only its bytes, to keep memory small; the
    /// value is parsed again on the (rare) replay.
    struct HistoryEntry {
        let type: WatchEvent.EventType
        let rv: Int64
        let key: ObjectKey
        let bytes: [UInt8]

        var event: WatchEvent? {
            guard let value = try? JSONParser.parse(bytes) else { return nil }
            return WatchEvent(type: type, rv: rv, key: key, object: value, bytes: bytes, old: nil)
        }
    }

    struct Watcher {
        let resource: String
        let namespace: String?
        let fromRV: Int64
        let continuation: AsyncStream<WatchEvent>.Continuation
    }

    private let state = Mutex(State())
    private let writer: StoreWriter?
    let historyLimit: Int

    /// Opens (or creates) the database at `path`; nil keeps everything in memory (tests).
    public init(path: String?, historyLimit: Int = 20_000) throws {
        self.historyLimit = historyLimit
        guard let path else {
            writer = nil
            return
        }
        let db = try SQLiteDB(path: path)
        try db.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; ")
        // Checkpoint every ~40 MB of WAL instead of 4 MB: each checkpoint fsyncs, and the writer
        // waits for it. journal_size_limit truncates the WAL file back after a checkpoint.
        try db.exec("PRAGMA wal_autocheckpoint=10000; PRAGMA journal_size_limit=67108864; PRAGMA cache_size=-16384;")
        if let extra = ProcessInfo.processInfo.environment["KPLANE_SQLITE_PRAGMAS"] { try db.exec(extra) }
        try db.exec("""
            CREATE TABLE IF NOT EXISTS objects(resource TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL,
              rv INTEGER NOT NULL, body BLOB NOT NULL, PRIMARY KEY(resource, namespace, name));
            CREATE TABLE IF NOT EXISTS changes(rv INTEGER PRIMARY KEY, resource TEXT NOT NULL, namespace TEXT NOT NULL,
              name TEXT NOT NULL, type TEXT NOT NULL, body BLOB NOT NULL);
            """)
        var loaded = State()
        try db.prepare("SELECT resource, namespace, name, rv, body FROM objects").forEachRow { row in
            let bytes = row.blob(4)
            guard let value = try? JSONParser.parse(bytes) else { return }
            let key = ObjectKey(resource: row.text(0), namespace: row.text(1), name: row.text(2))
            loaded.collections[key.resource, default: [:]][key.path] = StoredObject(rv: row.int(3), value: value, bytes: bytes)
            loaded.index(key, old: nil, new: value)
            loaded.rv = max(loaded.rv, row.int(3))
        }
        try db.prepare("SELECT rv, resource, namespace, name, type, body FROM changes ORDER BY rv DESC LIMIT \(historyLimit)")
            .forEachRow { row in
                guard let type = WatchEvent.EventType(rawValue: row.text(4)) else { return }
                let key = ObjectKey(resource: row.text(1), namespace: row.text(2), name: row.text(3))
                loaded.history.append(HistoryEntry(type: type, rv: row.int(0), key: key, bytes: row.blob(5)))
                loaded.rv = max(loaded.rv, row.int(0))
            }
        loaded.history.reverse()
        loaded.compactedRV = loaded.history.count < historyLimit ? 0 : (loaded.history.first?.rv ?? loaded.rv) - 1
        if loaded.history.isEmpty { loaded.compactedRV = loaded.rv }
        loaded.dispatchedRV = loaded.rv
        state.withLock { $0 = loaded }
        let box = WeakStore()
        writer = try StoreWriter(db: db, historyLimit: Int64(historyLimit)) { events in box.store?.dispatch(events) }
        box.store = self
    }

    deinit { writer?.stop() }

    public func close() { writer?.stop() }

    // MARK: Reads

    public var currentRV: Int64 { state.withLock { $0.rv } }
    /// The newest revision given up by compaction: a list or watch at or before it gets 410.
    public var compactedRV: Int64 { state.withLock { $0.compactedRV } }

    public func get(_ key: ObjectKey) -> StoredObject? {
        state.withLock { $0.collections[key.resource]?[key.path] }
    }

    /// All objects of a resource, optionally in one namespace, sorted by namespace/name, plus the
    /// revision the snapshot reflects.
    public func list(resource: String, namespace: String?) -> (items: [StoredObject], rv: Int64) {
        state.withLock { s in
            let all = s.collections[resource] ?? [:]
            var keys: [String]
            if let namespace {
                let prefix = namespace + "/"
                keys = all.keys.filter { $0.hasPrefix(prefix) }
            } else {
                keys = Array(all.keys)
            }
            keys.sort()
            return (keys.compactMap { all[$0] }, s.rv)
        }
    }

    /// Objects whose ownerReferences name `uid`.
    public func dependents(ofUID uid: String) -> [(ObjectKey, StoredObject)] {
        state.withLock { s in
            (s.dependents[uid] ?? []).compactMap { k in s.collections[k.resource]?[k.path].map { (k, $0) } }
        }
    }

    public func count(resource: String) -> Int { state.withLock { $0.collections[resource]?.count ?? 0 } }

    // MARK: Writes

    /// Atomically reads the current object at `key`, lets `decide` compute the change (or throw),
    /// assigns the next revision and stamps it into `metadata.resourceVersion`, then waits until
    /// the change is durable. Returns the event written (nil when `decide` made no change).
    @discardableResult
    public func write(
        _ key: ObjectKey, _ decide: (StoredObject?) throws -> Mutation?
    ) async throws -> WatchEvent? {
        let event: WatchEvent? = try state.withLock { s in
            let current = s.collections[key.resource]?[key.path]
            guard let mutation = try decide(current) else { return nil }
            s.rv += 1
            let rv = s.rv
            let e: WatchEvent
            switch mutation {
            case .put(var value):
                value.set(["metadata", "resourceVersion"], .string(String(rv)))
                let bytes = JSONSerializer.serialize(value)
                s.collections[key.resource, default: [:]][key.path] = StoredObject(rv: rv, value: value, bytes: bytes)
                s.index(key, old: current?.value, new: value)
                e = WatchEvent(type: current == nil ? .added : .modified, rv: rv, key: key, object: value, bytes: bytes, old: current?.value)
            case .delete:
                guard let current else { s.rv -= 1; return nil }
                var value = current.value
                value.set(["metadata", "resourceVersion"], .string(String(rv)))
                s.collections[key.resource]?[key.path] = nil
                s.index(key, old: current.value, new: nil)
                e = WatchEvent(type: .deleted, rv: rv, key: key, object: value, bytes: JSONSerializer.serialize(value), old: current.value)
            }
            if writer == nil { Self.dispatchLocked(&s, [e], limit: historyLimit) }
            return e
        }
        guard let event, let writer else { return event }
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, any Error>) in
            writer.enqueue(event, done: c)
        }
        return event
    }

    // MARK: Watch

    public enum WatchStart: Sendable {
        case ok(AsyncStream<WatchEvent>, cancel: @Sendable () -> Void)
        case expired(oldest: Int64)
    }

    /// Streams committed events of `resource` with revision > `fromRV`. Events still in the
    /// history are replayed first; a revision older than the history gets `.expired`.
    public func watch(resource: String, namespace: String?, fromRV: Int64) -> WatchStart {
        let (stream, continuation) = AsyncStream<WatchEvent>.makeStream()
        return state.withLock { s in
            if fromRV < s.compactedRV { return .expired(oldest: s.compactedRV + 1) }
            for h in s.history[s.historyStart...] where h.rv > fromRV && h.key.resource == resource {
                if let namespace, h.key.namespace != namespace { continue }
                if let e = h.event { continuation.yield(e) }
            }
            let id = s.nextWatcherID
            s.nextWatcherID += 1
            s.watchers[id] = Watcher(resource: resource, namespace: namespace, fromRV: fromRV, continuation: continuation)
            let cancel: @Sendable () -> Void = { [weak self] in
                self?.state.withLock { s in _ = s.watchers.removeValue(forKey: id) }
                continuation.finish()
            }
            continuation.onTermination = { _ in cancel() }
            return .ok(stream, cancel: cancel)
        }
    }

    public var watcherCount: Int { state.withLock { $0.watchers.count } }

    func dispatch(_ events: [WatchEvent]) {
        state.withLock { s in Self.dispatchLocked(&s, events, limit: historyLimit) }
    }

    private static func dispatchLocked(_ s: inout State, _ events: [WatchEvent], limit: Int) {
        for e in events {
            s.history.append(HistoryEntry(type: e.type, rv: e.rv, key: e.key, bytes: e.bytes))
            s.dispatchedRV = e.rv
            for w in s.watchers.values where w.resource == e.key.resource && e.rv > w.fromRV {
                if let ns = w.namespace, ns != e.key.namespace { continue }
                w.continuation.yield(e)
            }
        }
        let live = s.history.count - s.historyStart
        if live > limit {
            s.historyStart += live - limit
            s.compactedRV = s.history[s.historyStart].rv - 1
            if s.historyStart > limit {
                s.history.removeFirst(s.historyStart)
                s.historyStart = 0
            }
        }
    }
}

/// Breaks the reference cycle between the store and its writer's commit callback.
private final class WeakStore: @unchecked Sendable {
    // Safety: `store` is written once, before the writer can commit anything.
    weak var store: Store?
}
