import Foundation
import KubeModel

/// The store's only SQLite writer. It runs on its own thread (SQLite calls block, and the
/// cooperative pool has only as many threads as cores) and commits every write queued while the
/// previous transaction ran in one transaction: group commit.
final class StoreWriter: @unchecked Sendable {
    // Safety: `pending` and `stopped` are only touched while holding `condition`; `db` and the
    // statements are only used on the writer thread after init.
    struct Pending {
        let event: WatchEvent
        let done: CheckedContinuation<Void, any Error>?
    }

    private let condition = NSCondition()
    private var pending: [Pending] = []
    private var stopped = false
    private let db: SQLiteDB
    private let insertChange: SQLiteDB.Statement
    private let upsertObject: SQLiteDB.Statement
    private let deleteObject: SQLiteDB.Statement
    private let compact: SQLiteDB.Statement
    private let begin: SQLiteDB.Statement
    private let end: SQLiteDB.Statement
    private let onCommit: @Sendable ([WatchEvent]) -> Void
    private let historyLimit: Int64
    private var commitsSinceCompaction = 0

    init(db: SQLiteDB, historyLimit: Int64, onCommit: @escaping @Sendable ([WatchEvent]) -> Void) throws {
        self.db = db
        self.historyLimit = historyLimit
        self.onCommit = onCommit
        insertChange = try db.prepare("INSERT INTO changes(rv, resource, namespace, name, type, body) VALUES (?,?,?,?,?,?)")
        upsertObject = try db.prepare(
            "INSERT INTO objects(resource, namespace, name, rv, body) VALUES (?,?,?,?,?) "
                + "ON CONFLICT(resource, namespace, name) DO UPDATE SET rv = excluded.rv, body = excluded.body")
        deleteObject = try db.prepare("DELETE FROM objects WHERE resource = ? AND namespace = ? AND name = ?")
        compact = try db.prepare("DELETE FROM changes WHERE rv <= ?")
        begin = try db.prepare("BEGIN IMMEDIATE")
        end = try db.prepare("COMMIT")
        let thread = Thread { [self] in self.run() }
        thread.name = "kplane-store-writer"
        thread.start()
    }

    func enqueue(_ event: WatchEvent, done: CheckedContinuation<Void, any Error>?) {
        condition.lock()
        pending.append(Pending(event: event, done: done))
        condition.signal()
        condition.unlock()
    }

    func stop() {
        condition.lock()
        stopped = true
        condition.signal()
        condition.unlock()
    }

    private func run() {
        while true {
            condition.lock()
            while pending.isEmpty && !stopped { condition.wait() }
            let batch = pending
            pending = []
            let stop = stopped
            condition.unlock()
            if !batch.isEmpty { commit(batch) }
            if stop && batch.isEmpty { return }
        }
    }

    private var stats = (batches: 0, writes: 0)
    private let debug = ProcessInfo.processInfo.environment["KPLANE_STORE_DEBUG"] != nil

    private func commit(_ batch: [Pending]) {
        if debug {
            stats.batches += 1
            stats.writes += batch.count
            if stats.batches % 1000 == 0 { print("store: \(stats.batches) commits, \(Double(stats.writes) / Double(stats.batches)) writes each") }
        }
        do {
            try begin.run()
            for p in batch {
                let e = p.event
                let body = e.bytes
                insertChange.bind(1, e.rv)
                insertChange.bind(2, e.key.resource)
                insertChange.bind(3, e.key.namespace)
                insertChange.bind(4, e.key.name)
                insertChange.bind(5, e.type.rawValue)
                insertChange.bind(6, body)
                try insertChange.run()
                if e.type == .deleted {
                    deleteObject.bind(1, e.key.resource)
                    deleteObject.bind(2, e.key.namespace)
                    deleteObject.bind(3, e.key.name)
                    try deleteObject.run()
                } else {
                    upsertObject.bind(1, e.key.resource)
                    upsertObject.bind(2, e.key.namespace)
                    upsertObject.bind(3, e.key.name)
                    upsertObject.bind(4, e.rv)
                    upsertObject.bind(5, body)
                    try upsertObject.run()
                }
            }
            commitsSinceCompaction += 1
            if commitsSinceCompaction >= 1000, let last = batch.last {
                commitsSinceCompaction = 0
                compact.bind(1, last.event.rv - historyLimit)
                try compact.run()
            }
            try end.run()
        } catch {
            try? db.exec("ROLLBACK")
            for p in batch { p.done?.resume(throwing: error) }
            return
        }
        onCommit(batch.map(\.event))
        for p in batch { p.done?.resume() }
    }
}
