import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The API server's data directory: one server per directory, readable by its owner only.
///
/// The database holds every Secret and the kubeconfig holds the token, so the directory is
/// 0700 and its files 0600. A lock (`flock` on `lock`, released by the kernel however the
/// process ends, `kill -9` included) keeps a second server off the same database; the lock file
/// names the holder's pid and port so the second one can say who has it.
public final class DataDirectory: Sendable {
    public let path: String
    private let lockFD: Int32

    /// Creates (or tightens) the directory and takes its lock.
    public init(path: String) throws {
        self.path = path
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw ConfigError(message: "cannot create data directory \(path): \(error.localizedDescription)")
        }
        chmod(path, 0o700)
        let lockPath = path + "/lock"
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw ConfigError(message: "cannot open \(lockPath): \(String(cString: strerror(errno)))") }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let holder = Self.read(fd).trimmingCharacters(in: .whitespacesAndNewlines)
            close(fd)
            let who = holder.isEmpty ? "another kplane process" : "another kplane process (\(holder))"
            throw ConfigError(message: "data directory \(path) is in use by \(who); stop it first, or pass another --data-dir")
        }
        lockFD = fd
        record("pid \(getpid())")
        for name in ["kplane.db", "kplane.db-wal", "kplane.db-shm", "kubeconfig"] { chmod(path + "/" + name, 0o600) }
    }

    deinit { close(lockFD) }

    /// Where the database lives; created 0600 so SQLite gives its WAL and shm files the same mode.
    public func databasePath() throws -> String {
        let db = path + "/kplane.db"
        let fd = open(db, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw ConfigError(message: "cannot open \(db): \(String(cString: strerror(errno)))") }
        fchmod(fd, 0o600)
        close(fd)
        return db
    }

    /// Notes the port once the server listens, for a second server's error message.
    public func recordPort(_ port: Int) { record("pid \(getpid()), port \(port)") }

    /// Writes `contents` to `name` in the directory, readable by the owner only.
    public func writePrivateFile(_ name: String, _ contents: String) throws -> String {
        let file = path + "/" + name
        let temp = file + ".tmp"
        let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw ConfigError(message: "cannot write \(file): \(String(cString: strerror(errno)))") }
        let bytes = Array(contents.utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        fchmod(fd, 0o600)
        close(fd)
        guard written == bytes.count, rename(temp, file) == 0 else {
            throw ConfigError(message: "cannot write \(file): \(String(cString: strerror(errno)))")
        }
        return file
    }

    private func record(_ text: String) {
        _ = ftruncate(lockFD, 0)
        let bytes = Array((text + "\n").utf8)
        _ = bytes.withUnsafeBytes { pwrite(lockFD, $0.baseAddress, $0.count, 0) }
    }

    private static func read(_ fd: Int32) -> String {
        var buf = [UInt8](repeating: 0, count: 256)
        let n = buf.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        return n > 0 ? String(decoding: buf[..<n], as: UTF8.self) : ""
    }
}
