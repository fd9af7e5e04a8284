import CSQLite

/// An SQLite failure with the library's message.
struct SQLiteError: Error, CustomStringConvertible {
    let message: String
    var description: String { "sqlite: \(message)" }
}

/// A thin wrapper over one SQLite connection. Not thread-safe: the store confines each
/// connection to one thread.
final class SQLiteDB {
    private var db: OpaquePointer?

    init(path: String) throws {
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        guard sqlite3_open_v2(path, &db, flags, nil) == SQLITE_OK else {
            let m = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open \(path)"
            sqlite3_close(db)
            throw SQLiteError(message: m)
        }
        // Another connection to the same file (the checkpointer's, or a store closed a moment
        // ago whose last connection is still checkpointing and removing its log) holds a lock
        // only briefly: wait for it instead of failing with "database is locked".
        sqlite3_busy_timeout(db, 5_000)
    }

    private var walHook: Unmanaged<WALHook>?

    deinit {
        sqlite3_close(db)
        walHook?.release()
    }

    private final class WALHook {
        let handler: (Int) -> Void
        init(_ handler: @escaping (Int) -> Void) { self.handler = handler }
    }

    /// Calls `handler` on the committing thread after each commit with the number of pages in
    /// the write-ahead log (sqlite3_wal_hook). It replaces SQLite's automatic checkpoints.
    func onCommitToWAL(_ handler: @escaping (Int) -> Void) {
        let hook = Unmanaged.passRetained(WALHook(handler))
        walHook?.release()
        walHook = hook
        sqlite3_wal_hook(db, { context, _, _, pages in
            if let context { Unmanaged<WALHook>.fromOpaque(context).takeUnretainedValue().handler(Int(pages)) }
            return SQLITE_OK
        }, hook.toOpaque())
    }

    /// A PASSIVE checkpoint: copies what it can of the write-ahead log into the database without
    /// waiting for any lock. Returns the pages in the log and how many of them are copied.
    func checkpoint() throws -> (log: Int, copied: Int) {
        var log: Int32 = 0
        var copied: Int32 = 0
        let rc = sqlite3_wal_checkpoint_v2(db, nil, SQLITE_CHECKPOINT_PASSIVE, &log, &copied)
        guard rc == SQLITE_OK || rc == SQLITE_BUSY else { throw SQLiteError(message: String(cString: sqlite3_errmsg(db))) }
        return (Int(log), Int(copied))
    }

    func exec(_ sql: String) throws {
        var err: UnsafeMutablePointer<CChar>?
        if sqlite3_exec(db, sql, nil, nil, &err) != SQLITE_OK {
            let m = err.map { String(cString: $0) } ?? "exec failed"
            sqlite3_free(err)
            throw SQLiteError(message: m)
        }
    }

    func prepare(_ sql: String) throws -> Statement {
        var stmt: OpaquePointer?
        guard sqlite3_prepare_v2(db, sql, -1, &stmt, nil) == SQLITE_OK, let stmt else {
            throw SQLiteError(message: String(cString: sqlite3_errmsg(db)))
        }
        return Statement(stmt: stmt, db: db)
    }

    final class Statement {
        let stmt: OpaquePointer
        let db: OpaquePointer?
        init(stmt: OpaquePointer, db: OpaquePointer?) {
            self.stmt = stmt
            self.db = db
        }
        deinit { sqlite3_finalize(stmt) }

        private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

        func bind(_ i: Int32, _ v: Int64) { sqlite3_bind_int64(stmt, i, v) }
        func bind(_ i: Int32, _ v: String) { sqlite3_bind_text(stmt, i, v, -1, Self.transient) }
        func bind(_ i: Int32, _ v: [UInt8]) {
            v.withUnsafeBytes { p in _ = sqlite3_bind_blob(stmt, i, p.baseAddress, Int32(p.count), Self.transient) }
        }

        /// Runs the statement to completion (for writes) and resets it for reuse.
        func run() throws {
            defer { sqlite3_reset(stmt); sqlite3_clear_bindings(stmt) }
            let rc = sqlite3_step(stmt)
            guard rc == SQLITE_DONE || rc == SQLITE_ROW else { throw SQLiteError(message: String(cString: sqlite3_errmsg(db))) }
        }

        /// Steps through result rows.
        func forEachRow(_ body: (Statement) throws -> Void) throws {
            defer { sqlite3_reset(stmt) }
            while true {
                let rc = sqlite3_step(stmt)
                if rc == SQLITE_DONE { return }
                guard rc == SQLITE_ROW else { throw SQLiteError(message: String(cString: sqlite3_errmsg(db))) }
                try body(self)
            }
        }

        func int(_ col: Int32) -> Int64 { sqlite3_column_int64(stmt, col) }
        func text(_ col: Int32) -> String {
            guard let p = sqlite3_column_text(stmt, col) else { return "" }
            return String(cString: p)
        }
        func blob(_ col: Int32) -> [UInt8] {
            let n = Int(sqlite3_column_bytes(stmt, col))
            guard n > 0, let p = sqlite3_column_blob(stmt, col) else { return [] }
            return Array(UnsafeRawBufferPointer(start: p, count: n))
        }
    }
}
