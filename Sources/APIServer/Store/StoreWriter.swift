import Foundation
import KubeModel
import Logging

/// The store's only writer. It runs on its own thread (SQLite calls block, and the cooperative
/// pool has only as many threads as cores) and commits every write queued while the previous
/// transaction ran in one transaction: group commit. Writes are queued under the store's lock in
/// revision order, and this one thread commits and publishes them in that order, so watches see
/// revisions in order and reads never see a revision before it is durable.
final class StoreWriter: @unchecked Sendable {
    // Safety: `pending` and `stopped` are only touched while holding `condition`; `db` and the
    // statements are only used on the writer thread after init.
    struct Pending {
        let event: WatchEvent
        let done: CheckedContinuation<WatchEvent?, any Error>
    }

    /// What the writer tells the store: a batch is durable (make it visible, then deliver it),
    /// or a batch failed (forget every write queued since the last durable one, and return the
    /// queued ones so they fail too).
    struct Callbacks: Sendable {
        let committed: @Sendable ([WatchEvent]) -> Void
        let failed: @Sendable () -> [Pending]
    }

    private let condition = NSCondition()
    private var pending: [Pending] = []
    private var stopped = false
    private let statements: Statements?
    private var callbacks: Callbacks?
    private let historyLimit: Int64
    private var commitsSinceCompaction = 0

    /// Checkpoints the log off this thread; nil in memory.
    private let checkpointer: WALCheckpointer?
    /// The pages in the write-ahead log after the last commit (set by SQLite's WAL hook, on
    /// this thread).
    private final class LogPages { var count = 0 }
    private let logPages = LogPages()

    /// `db` nil keeps everything in memory (tests): the same ordering, no disk. `path` is the
    /// database's file, which the checkpointer opens a second connection to.
    init(db: SQLiteDB?, path: String?, historyLimit: Int64, checkpointPages: Int) throws {
        self.historyLimit = historyLimit
        statements = try db.map(Statements.init)
        if let db, let path {
            let checkpointer = try WALCheckpointer(path: path, pagesBeforeCheckpoint: checkpointPages)
            let pages = logPages
            db.onCommitToWAL { n in
                pages.count = n
                checkpointer.logGrew(to: n)
            }
            self.checkpointer = checkpointer
        } else {
            checkpointer = nil
        }
    }

    /// Starts the thread; `callbacks` must not call back into the writer's queue functions.
    func start(_ callbacks: Callbacks) {
        self.callbacks = callbacks
        let thread = Thread { [self] in self.run() }
        thread.name = "kplane-store-writer"
        thread.start()
    }

    /// Queues a write. The store calls this under its own lock, so the queue is in revision order.
    func enqueue(_ event: WatchEvent, done: CheckedContinuation<WatchEvent?, any Error>) {
        condition.lock()
        if stopped {
            condition.unlock()
            done.resume(throwing: StoreClosed())
            return
        }
        pending.append(Pending(event: event, done: done))
        condition.signal()
        condition.unlock()
    }

    /// Takes every queued write out of the queue (after a failed commit).
    func drain() -> [Pending] {
        condition.lock()
        defer { condition.unlock() }
        let all = pending
        pending = []
        return all
    }

    func stop() {
        condition.lock()
        stopped = true
        condition.signal()
        condition.unlock()
        checkpointer?.stop()
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
    private let logger = Logger(label: "kplane.store")

    private func commit(_ batch: [Pending]) {
        guard let callbacks else { return }
        stats.batches += 1
        stats.writes += batch.count
        if stats.batches % 1000 == 0 {
            logger.debug("group commit", metadata: ["commits": "\(stats.batches)", "writesPerCommit": "\(Double(stats.writes) / Double(stats.batches))"])
        }
        do {
            if let statements { try write(batch, statements) }
        } catch {
            logger.error("commit failed; its writes and those queued behind them fail", metadata: ["writes": "\(batch.count)", "error": "\(error)"])
            // Later queued writes were decided against these; they fail with them.
            let abandoned = batch + callbacks.failed()
            for p in abandoned { p.done.resume(throwing: error) }
            return
        }
        let events = batch.map(\.event)
        callbacks.committed(events)
        for p in batch { p.done.resume(returning: p.event) }
        if let statements, logPages.count >= WALCheckpointer.writerLimit {
            // Writes never paused long enough for the checkpointer to finish the log: copy it
            // here, after the batch's callers have their answers, so the file stays bounded.
            do {
                _ = try statements.db.checkpoint()
                logPages.count = 0
            } catch {
                logger.warning("checkpoint failed", metadata: ["error": "\(error)"])
            }
        }
    }

    private func write(_ batch: [Pending], _ st: Statements) throws {
        try st.begin.run()
        do {
            for p in batch {
                let e = p.event
                st.insertChange.bind(1, e.rv)
                st.insertChange.bind(2, e.key.resource)
                st.insertChange.bind(3, e.key.namespace)
                st.insertChange.bind(4, e.key.name)
                st.insertChange.bind(5, e.type.rawValue)
                st.insertChange.bind(6, e.bytes)
                try st.insertChange.run()
                if e.type == .deleted {
                    st.deleteObject.bind(1, e.key.resource)
                    st.deleteObject.bind(2, e.key.namespace)
                    st.deleteObject.bind(3, e.key.name)
                    try st.deleteObject.run()
                } else {
                    st.upsertObject.bind(1, e.key.resource)
                    st.upsertObject.bind(2, e.key.namespace)
                    st.upsertObject.bind(3, e.key.name)
                    st.upsertObject.bind(4, e.rv)
                    st.upsertObject.bind(5, e.bytes)
                    try st.upsertObject.run()
                }
            }
            commitsSinceCompaction += 1
            if commitsSinceCompaction >= 1000, let last = batch.last {
                commitsSinceCompaction = 0
                st.compact.bind(1, last.event.rv - historyLimit)
                try st.compact.run()
            }
            try st.end.run()
        } catch {
            try? st.db.exec("ROLLBACK")
            throw error
        }
    }
}

/// The writer's prepared statements.
private struct Statements {
    let db: SQLiteDB
    let insertChange: SQLiteDB.Statement
    let upsertObject: SQLiteDB.Statement
    let deleteObject: SQLiteDB.Statement
    let compact: SQLiteDB.Statement
    let begin: SQLiteDB.Statement
    let end: SQLiteDB.Statement

    init(_ db: SQLiteDB) throws {
        self.db = db
        insertChange = try db.prepare("INSERT INTO changes(rv, resource, namespace, name, type, body) VALUES (?,?,?,?,?,?)")
        upsertObject = try db.prepare(
            "INSERT INTO objects(resource, namespace, name, rv, body) VALUES (?,?,?,?,?) "
                + "ON CONFLICT(resource, namespace, name) DO UPDATE SET rv = excluded.rv, body = excluded.body")
        deleteObject = try db.prepare("DELETE FROM objects WHERE resource = ? AND namespace = ? AND name = ?")
        compact = try db.prepare("DELETE FROM changes WHERE rv <= ?")
        begin = try db.prepare("BEGIN IMMEDIATE")
        end = try db.prepare("COMMIT")
    }
}

/// A write reached a store that was closed.
public struct StoreClosed: Error, CustomStringConvertible {
    public var description: String { "the store is closed" }
}
