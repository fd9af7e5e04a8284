import Foundation
import KubeModel
import Synchronization

/// The object store: SQLite (WAL) for durability, an in-memory copy of every object for reads,
/// a global revision counter, and a change history that backs watches.
///
/// A write is decided under the store's lock against the newest state (committed or still
/// queued), gets the next revision, and is queued to the one writer thread in revision order.
/// Reads and watches see only what is committed: a revision a client has seen is durable, so it
/// survives a crash and is never handed out again.
///
/// Without a path it is the in-memory engine: the same ordering and visibility, no disk. One
/// class serves both, since everything but the writer's SQLite statements is shared.
public final class Store: StorageInterface {
    struct State {
        /// Committed objects by resource, then by "namespace/name": what reads see.
        var collections: [String: [String: StoredObject]] = [:]
        /// Writes queued to the writer but not yet durable, newest per key; writes decide
        /// against these.
        var queued: [ObjectKey: Queued] = [:]
        /// The last revision handed out, and the last one committed.
        var latestRV: Int64 = 0
        var committedRV: Int64 = 0
        var history: ChangeHistory
        /// ownerReferences[].uid → dependents (committed), for garbage collection without scans.
        var dependents: [String: Set<ObjectKey>] = [:]

        /// The newest state of `key`, queued or committed.
        func latest(_ key: ObjectKey) -> StoredObject? {
            if let q = queued[key] { return q.object }
            return collections[key.resource]?[key.path]
        }

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

        /// Makes a durable event visible.
        mutating func apply(_ e: WatchEvent) {
            let old = collections[e.key.resource]?[e.key.path]
            if e.type == .deleted {
                collections[e.key.resource]?[e.key.path] = nil
                index(e.key, old: old?.value, new: nil)
            } else {
                collections[e.key.resource, default: [:]][e.key.path] = StoredObject(rv: e.rv, value: e.object, bytes: e.bytes)
                index(e.key, old: old?.value, new: e.object)
            }
            if queued[e.key]?.rv == e.rv { queued[e.key] = nil }
            committedRV = e.rv
            history.append(e, previous: old.map { .object(rv: $0.rv, bytes: $0.bytes) } ?? .absent)
        }
    }

    /// A queued write's outcome for its key: the object, or nil for a deletion.
    struct Queued {
        let rv: Int64
        let object: StoredObject?
    }

    static func ownerUIDs(_ v: JSONValue?) -> [String] {
        (v?[path: ["metadata", "ownerReferences"]]?.arrayValue ?? []).compactMap { $0["uid"]?.stringValue }
    }

    private let state: Mutex<State>
    private let writer: StoreWriter
    let watchers: WatcherSet
    /// How many events a watch may fall behind before it is closed (see `WatchChannel`).
    let watchBufferSize: Int

    /// Opens (or creates) the database at `path`; nil keeps everything in memory (tests).
    /// `checkpointPages` is how long SQLite's log grows before it is copied back (tests shorten it).
    public init(path: String?, historyLimit: Int = 20_000, watchBufferSize: Int = 1000,
                checkpointPages: Int = 10_000) throws {
        self.watchBufferSize = watchBufferSize
        var loaded = State(history: ChangeHistory(limit: historyLimit, loaded: [], currentRV: 0))
        var db: SQLiteDB?
        if let path {
            let opened = try SQLiteDB(path: path)
            try Self.load(opened, into: &loaded, historyLimit: historyLimit)
            db = opened
        }
        state = Mutex(loaded)
        watchers = WatcherSet(deliveredRV: loaded.committedRV)
        writer = try StoreWriter(db: db, path: path, historyLimit: Int64(historyLimit), checkpointPages: checkpointPages)
        let box = WeakStore()
        box.store = self
        writer.start(.init(
            committed: { events in box.store?.publish(events) },
            failed: { box.store?.abandonQueued() ?? [] }))
    }

    private static func load(_ db: SQLiteDB, into loaded: inout State, historyLimit: Int) throws {
        try db.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; ")
        // Checkpoints run on a thread of their own (`WALCheckpointer`), so the writer never waits
        // for one; journal_size_limit truncates the WAL file back after the log starts over.
        try db.exec("PRAGMA journal_size_limit=67108864; PRAGMA cache_size=-16384;")
        if let extra = ProcessInfo.processInfo.environment["KPLANE_SQLITE_PRAGMAS"] { try db.exec(extra) }
        try db.exec("""
            CREATE TABLE IF NOT EXISTS objects(resource TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL,
              rv INTEGER NOT NULL, body BLOB NOT NULL, PRIMARY KEY(resource, namespace, name));
            CREATE TABLE IF NOT EXISTS changes(rv INTEGER PRIMARY KEY, resource TEXT NOT NULL, namespace TEXT NOT NULL,
              name TEXT NOT NULL, type TEXT NOT NULL, body BLOB NOT NULL);
            """)
        var rv: Int64 = 0
        try db.prepare("SELECT resource, namespace, name, rv, body FROM objects").forEachRow { row in
            let bytes = row.blob(4)
            guard let value = try? JSONParser.parse(bytes) else { return }
            let key = ObjectKey(resource: row.text(0), namespace: row.text(1), name: row.text(2))
            loaded.collections[key.resource, default: [:]][key.path] = StoredObject(rv: row.int(3), value: value, bytes: bytes)
            loaded.index(key, old: nil, new: value)
            rv = max(rv, row.int(3))
        }
        var changes: [(type: WatchEvent.EventType, rv: Int64, key: ObjectKey, bytes: [UInt8])] = []
        try db.prepare("SELECT rv, resource, namespace, name, type, body FROM changes ORDER BY rv DESC LIMIT \(historyLimit)")
            .forEachRow { row in
                guard let type = WatchEvent.EventType(rawValue: row.text(4)) else { return }
                let key = ObjectKey(resource: row.text(1), namespace: row.text(2), name: row.text(3))
                changes.append((type, row.int(0), key, row.blob(5)))
                rv = max(rv, row.int(0))
            }
        changes.reverse()
        loaded.latestRV = rv
        loaded.committedRV = rv
        loaded.history = ChangeHistory(limit: historyLimit, loaded: ChangeHistory.linked(changes), currentRV: rv)
    }

    deinit { writer.stop() }

    public func close() { writer.stop() }

    // MARK: Reads (committed state only)

    public var currentRevision: Int64 { state.withLock { $0.committedRV } }

    public var compactedRevision: Int64 { state.withLock { $0.history.compactedRV } }

    public var deliveredRevision: Int64 { watchers.deliveredRV }

    public func get(_ key: ObjectKey) -> StoredObject? {
        state.withLock { $0.collections[key.resource]?[key.path] }
    }

    /// An exact older revision is the newest state with the history's later changes undone,
    /// newest first (etcd keeps every revision until compaction; kplane keeps the changes).
    public func getList(resource: String, namespace: String?, match: RevisionMatch) throws(RevisionUnavailable) -> StoredList {
        let (current, revision, undo) = try state.withLock { s throws(RevisionUnavailable) in
            var undo: [ChangeHistory.Entry] = []
            if case .exact(let rv) = match, rv != s.committedRV {
                if rv > s.committedRV { throw .future(requested: rv, current: s.committedRV) }
                if rv < s.history.compactedRV { throw .compacted(requested: rv, current: s.committedRV) }
                undo = s.history.entries(of: resource, namespace: namespace, after: rv)
            }
            return (s.collections[resource] ?? [:], s.committedRV, undo)
        }
        guard case .exact(let rv) = match, !undo.isEmpty else {
            return StoredList(items: Self.sorted(current, namespace: namespace), revision: revision)
        }
        // Undone outside the lock: the dictionary is this read's own copy.
        var then = current
        for change in undo.reversed() {
            switch change.previous {
            case .absent: then[change.key.path] = nil
            case .object(let prevRV, let bytes):
                guard let value = try? JSONParser.parse(bytes) else { throw .compacted(requested: rv, current: revision) }
                then[change.key.path] = StoredObject(rv: prevRV, value: value, bytes: bytes)
            case .unknown: throw .compacted(requested: rv, current: revision)
            }
        }
        return StoredList(items: Self.sorted(then, namespace: namespace), revision: rv)
    }

    private static func sorted(_ all: [String: StoredObject], namespace: String?) -> [StoredObject] {
        var keys: [String]
        if let namespace {
            let prefix = namespace + "/"
            keys = all.keys.filter { $0.hasPrefix(prefix) }
        } else {
            keys = Array(all.keys)
        }
        keys.sort()
        return keys.compactMap { all[$0] }
    }

    public func dependents(ofUID uid: String) -> [(ObjectKey, StoredObject)] {
        state.withLock { s in
            (s.dependents[uid] ?? []).compactMap { k in s.collections[k.resource]?[k.path].map { (k, $0) } }
        }
    }

    public func count(resource: String) -> Int { state.withLock { $0.collections[resource]?.count ?? 0 } }

    public func compact(through revision: Int64) {
        state.withLock { $0.history.compact(through: min(revision, $0.committedRV)) }
    }

    // MARK: Writes

    public func create(_ key: ObjectKey, _ object: JSONValue) async throws -> CreateOutcome {
        guard let event = try await commit(key, .put(object), ifAt: nil) else { return .alreadyExists }
        return .created(event)
    }

    public func delete(_ key: ObjectKey, preconditions: Preconditions) async throws -> DeleteOutcome {
        while true {
            guard let current = state.withLock({ $0.latest(key) }) else { return .notFound }
            if let failure = preconditions.failure(current) { return .preconditionFailed(failure) }
            if let event = try await commit(key, .delete, ifAt: current.rv) { return .deleted(event) }
        }
    }

    public func guaranteedUpdate<Note: Sendable>(
        _ key: ObjectKey, preconditions: Preconditions, tryUpdate: (StoredObject) async throws -> UpdateDecision<Note>
    ) async throws -> UpdateOutcome<Note> {
        while true {
            // Read under the lock, decide outside it: admission and kind rules never hold up
            // other writers. A write that got in between makes the commit below fail; retry.
            guard let current = state.withLock({ $0.latest(key) }) else { return .notFound }
            if let failure = preconditions.failure(current) { return .preconditionFailed(failure) }
            switch try await tryUpdate(current) {
            case .unchanged(let note):
                return .unchanged(current, note)
            case .put(let value, let note):
                if let event = try await commit(key, .put(value), ifAt: current.rv) { return .updated(event, note) }
            case .delete(let note):
                if let event = try await commit(key, .delete, ifAt: current.rv) { return .deleted(event, note) }
            }
        }
    }

    /// Commits `mutation` if `key`'s newest state (committed or queued) is still at revision
    /// `expected` (nil: absent): assigns the next revision, stamps it into
    /// `metadata.resourceVersion`, queues the write in revision order, and waits until it is
    /// durable and visible. Returns nil, writing nothing, when `key` has moved on.
    private func commit(_ key: ObjectKey, _ mutation: Mutation, ifAt expected: Int64?) async throws -> WatchEvent? {
        try await withCheckedThrowingContinuation { (done: CheckedContinuation<WatchEvent?, any Error>) in
            let queued = state.withLock { s -> Bool in
                let current = s.latest(key)
                guard current?.rv == expected else { return false }
                let rv = s.latestRV + 1
                let event: WatchEvent
                switch mutation {
                case .put(var value):
                    value.set(["metadata", "resourceVersion"], .string(String(rv)))
                    let bytes = JSONSerializer.serialize(value)
                    event = WatchEvent(type: current == nil ? .added : .modified, rv: rv, key: key, object: value, bytes: bytes, old: current?.value)
                    s.queued[key] = Queued(rv: rv, object: StoredObject(rv: rv, value: value, bytes: bytes))
                case .delete:
                    guard let current else { return false }
                    var value = current.value
                    value.set(["metadata", "resourceVersion"], .string(String(rv)))
                    event = WatchEvent(type: .deleted, rv: rv, key: key, object: value, bytes: JSONSerializer.serialize(value), old: current.value)
                    s.queued[key] = Queued(rv: rv, object: nil)
                }
                s.latestRV = rv
                // Queued under the lock, so the writer's queue is in revision order.
                writer.enqueue(event, done: done)
                return true
            }
            if !queued { done.resume(returning: nil) }
        }
    }

    /// The writer made `events` durable: make them visible, then hand them to the watches
    /// (on the writer thread, outside the lock, in revision order).
    private func publish(_ events: [WatchEvent]) {
        state.withLock { s in
            for e in events { s.apply(e) }
        }
        watchers.deliver(events)
    }

    /// A commit failed: every queued write was decided against state that will never exist.
    /// Forget them all, and hand them back so their writers get the error.
    private func abandonQueued() -> [StoreWriter.Pending] {
        state.withLock { s in
            s.queued = [:]
            s.latestRV = s.committedRV
            return writer.drain()
        }
    }

    // MARK: Watch

    /// Opens a watch on `resource` (in `namespace`, if given) for committed changes after
    /// `fromRV`; changes still in the history are replayed first. With `initial`, the watch
    /// starts with the objects that exist now, and follows from the revision of that snapshot.
    /// Throws `TooOldResourceVersion` when the history no longer reaches back to `fromRV`.
    public func watch(resource: String, namespace: String?, fromRV: Int64, initial: Bool) throws(TooOldResourceVersion) -> WatchStart {
        let watchers = self.watchers
        return try state.withLock { s throws(TooOldResourceVersion) -> WatchStart in
            var items: [StoredObject] = []
            var from = fromRV
            if initial {
                items = Self.sorted(s.collections[resource] ?? [:], namespace: namespace)
                from = s.committedRV
            } else if from < s.history.compactedRV {
                throw TooOldResourceVersion(requested: from, current: s.committedRV)
            }
            // A revision not yet committed: follow from the newest committed one; nothing
            // after `fromRV` exists yet, so the channel simply skips up to it.
            let replay = s.history.entries(of: resource, namespace: namespace, after: from)
            let channel = WatchChannel(
                resource: resource, namespace: namespace, after: max(from, s.committedRV), capacity: watchBufferSize, replay: replay,
                onClose: { watchers.remove($0) })
            // Registered under the store's lock: a batch published after this point is offered
            // to the channel, one published before is in the replay.
            watchers.add(channel)
            return WatchStart(initial: items, channel: channel, fromRV: from)
        }
    }

    public var watcherCount: Int { watchers.count }
}

/// Breaks the reference cycle between the store and its writer's callbacks.
private final class WeakStore: @unchecked Sendable {
    // Safety: `store` is written once, before the writer thread starts.
    weak var store: Store?
}
