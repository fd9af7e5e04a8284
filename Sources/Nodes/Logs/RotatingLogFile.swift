import Foundation
import KubeClient

/// A container's log file, rotated as the kubelet's container log manager rotates it: once it
/// reaches `maxSize` it is renamed `<path>.<20060102-150405>` and a new one is opened, and the
/// oldest rotated files go so that at most `maxFiles` files (the live one included) remain.
/// (The kubelet also gzips the older rotated files; these stay plain so a reader can follow
/// them.) A value owned by one `ContainerLog`, which writes to it under its lock and closes it
/// when both streams end.
struct RotatingLogFile {
    let path: String
    let maxSize: Int
    let maxFiles: Int
    let clock: any WallClock
    private var fd: Int32
    private(set) var size: Int

    init(path: String, maxSize: Int, maxFiles: Int, clock: any WallClock) throws {
        self.path = path
        self.maxSize = maxSize
        self.maxFiles = max(2, maxFiles)
        self.clock = clock
        fd = try Self.open(path)
        var st = stat()
        size = fstat(fd, &st) == 0 ? Int(st.st_size) : 0
    }

    private static func open(_ path: String) throws -> Int32 {
        let fd = Glibc.open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw ContainerLogError("failed to open log file \"\(path)\": \(String(cString: strerror(errno)))") }
        return fd
    }

    /// Appends whole CRI lines, then rotates if the file has reached its size.
    mutating func write(_ bytes: [UInt8]) {
        guard fd >= 0 else { return }
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                return  // A full disk loses log lines, not the container (as the runtime does).
            }
            offset += n
        }
        size += bytes.count
        if maxSize > 0 && size >= maxSize { rotate() }
    }

    /// The rotated files of `path`, oldest first (names sort by their timestamps).
    static func rotated(_ path: String) -> [String] {
        let dir = (path as NSString).deletingLastPathComponent
        let base = (path as NSString).lastPathComponent + "."
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        return names.filter { $0.hasPrefix(base) && !$0.hasSuffix(".tmp") && !$0.hasSuffix(".gz") }.sorted().map { dir + "/" + $0 }
    }

    /// Removes a log file that is no longer written, and its rotated files.
    static func remove(_ path: String) {
        for f in rotated(path) + [path] { unlink(f) }
    }

    private mutating func rotate() {
        // Keep maxFiles-2 rotated files: with the one about to be rotated and the new live
        // file that makes maxFiles, as removeExcessLogs counts them.
        let old = Self.rotated(path)
        for f in old.dropLast(max(0, maxFiles - 2)) { unlink(f) }
        let base = path + "." + Self.suffix(clock.now())
        var target = base
        // Two rotations within a second (a flood into a small maxSize) must neither overwrite
        // each other nor sort before an older one: a counter keeps the names in order.
        let newest = old.last ?? ""
        var n = 1
        while target <= newest {
            target = base + "." + String(format: "%03d", n)
            n += 1
        }
        guard rename(path, target) == 0, let fresh = try? Self.open(path) else { return }
        _ = Glibc.close(fd)
        fd = fresh
        size = 0
    }

    /// Go's `20060102-150405` in UTC.
    static func suffix(_ date: Date) -> String {
        let text = CRITimestamp(date).formatted(fixed: false)  // 2006-01-02T15:04:05...
        let b = Array(text.utf8)
        var digits: [UInt8] = []
        for range in [0..<4, 5..<7, 8..<10, 11..<13, 14..<16, 17..<19] {
            if range.lowerBound == 11 { digits.append(UInt8(ascii: "-")) }
            digits += b[range]
        }
        return String(decoding: digits, as: UTF8.self)
    }

    mutating func close() {
        if fd >= 0 { _ = Glibc.close(fd) }
        fd = -1
    }
}

public struct ContainerLogError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}
