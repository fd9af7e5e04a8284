import Foundation
import Logging

/// Copies SQLite's write-ahead log back into the database file on a thread of its own.
///
/// With SQLite's automatic checkpoints, the commit that crosses the threshold runs the
/// checkpoint, fsync included, while every write queued behind it waits: it cost durable creates
/// about a fifth of their rate and set their p99. A PASSIVE checkpoint from a second connection
/// never blocks the writer, and once one has copied the whole log the writer's next transaction
/// starts the log over (`journal_size_limit` then truncates the file). A writer that never pauses
/// can outrun it; past `writerLimit` pages the writer checkpoints too (see `StoreWriter`).
final class WALCheckpointer: @unchecked Sendable {
    // Safety: `due` and `stopped` are only touched while holding `condition`; `db` is used only
    // on the checkpointer's thread.
    /// Where the writer stops relying on this thread and checkpoints itself (about 100 MB).
    static let writerLimit = 25_000

    private let condition = NSCondition()
    private var due = false
    private var stopped = false
    private let db: SQLiteDB
    /// Log pages before a checkpoint (the store's default is 10,000, about 40 MB): each page is
    /// copied once however often it was rewritten since the last one, so rarer checkpoints copy less.
    private let threshold: Int
    private let logger = Logger(label: "kplane.store")

    init(path: String, pagesBeforeCheckpoint: Int) throws {
        threshold = pagesBeforeCheckpoint
        db = try SQLiteDB(path: path)
        // A connection that has never read the database has not opened its log, and its
        // checkpoints do nothing (they report -1 pages).
        try db.exec("SELECT count(*) FROM sqlite_master")
        let thread = Thread { [self] in run() }
        thread.name = "kplane-store-checkpointer"
        thread.start()
    }

    /// The writer committed; the log now holds `pages` pages.
    func logGrew(to pages: Int) {
        guard pages >= threshold else { return }
        condition.lock()
        due = true
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
            while !due && !stopped { condition.wait() }
            let stop = stopped
            due = false
            condition.unlock()
            if stop { return }
            do {
                let (log, copied) = try db.checkpoint()
                logger.trace("checkpoint", metadata: ["logPages": "\(log)", "copiedPages": "\(copied)"])
            } catch {
                // The log keeps growing until a later checkpoint (or the writer's own) succeeds.
                logger.warning("checkpoint failed", metadata: ["error": "\(error)"])
            }
        }
    }
}
