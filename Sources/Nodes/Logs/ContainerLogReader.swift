import Foundation
import KubeClient

/// Reads a container's CRI log as the kubelet's ReadLogs does, and across its rotated files:
/// from the start of the last `tailLines` lines, leaving out lines before `since`, with each
/// line's time in front when `timestamps`, stopping after `limitBytes`. Following, it waits at
/// the end of the live file for more (reopening the file when it has been rotated) until the
/// container stops, then sends what is left and returns.
public struct ContainerLogReader: Sendable {
    public let path: String
    public let options: ContainerLogOptions
    public let clock: any WallClock
    /// Whether the container still runs (asked at the end of the file while following).
    public let running: @Sendable () -> Bool
    /// How often a follower looks for new lines (the kubelet wakes on fsnotify, and at least
    /// once a second).
    public var pollInterval: Duration = .milliseconds(100)

    public init(path: String, options: ContainerLogOptions, clock: any WallClock, running: @escaping @Sendable () -> Bool) {
        self.path = path
        self.options = options
        self.clock = clock
        self.running = running
    }

    private static let blockSize = 64 * 1024
    /// A line longer than this is not one the runtime wrote (it cuts lines at 16 KiB): dropped.
    private static let maxLine = 1024 * 1024
    private static let flushSize = 32 * 1024

    /// Sends the log in chunks of at most a few tens of KiB; a chunk is sent at least whenever
    /// the reader has caught up with the file.
    public func read(_ send: (ArraySlice<UInt8>) async throws -> Void) async throws {
        let files = RotatingLogFile.rotated(path) + [path]
        var (index, offset) = options.tailLines.map { Self.tailStart(files, $0) } ?? (0, 0)
        var fd: Int32 = -1
        defer { if fd >= 0 { close(fd) } }
        // Opens files[index] (a rotated file may have been removed since it was listed).
        func open(at start: off_t) throws {
            if fd >= 0 { close(fd) }
            while true {
                fd = Glibc.open(files[index], O_RDONLY | O_CLOEXEC)
                if fd >= 0 { break }
                if index == files.count - 1 { throw ContainerLogError("failed to open log file \"\(files[index])\": \(String(cString: strerror(errno)))") }
                index += 1
            }
            if start > 0 { lseek(fd, start, SEEK_SET) }
        }
        try open(at: offset)
        offset = 0

        let since = options.since(now: clock.now())
        var remain = options.limitBytes ?? Int.max
        var line: [UInt8] = []
        var out: [UInt8] = []
        var block = [UInt8](repeating: 0, count: Self.blockSize)
        var found = true
        var reopen = false

        // Adds one log line to `out`; false once limitBytes is reached.
        func emit(_ raw: ArraySlice<UInt8>) -> Bool {
            guard let msg = CRILogLine.parse(raw) else { return true }
            if let since, msg.time < since { return true }
            var piece: [UInt8] = []
            if options.timestamps {
                msg.time.append(to: &piece, fixed: true)
                piece.append(UInt8(ascii: " "))
            }
            piece.append(contentsOf: msg.content)
            if piece.count > remain { piece.removeLast(piece.count - remain) }
            out.append(contentsOf: piece)
            remain -= piece.count
            return remain > 0
        }

        while true {
            let n = block.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ContainerLogError("failed to read log file \"\(files[index])\": \(String(cString: strerror(errno)))")
            }
            if n > 0 {
                var rest = block[0..<n]
                while let nl = rest.firstIndex(of: UInt8(ascii: "\n")) {
                    let more: Bool
                    if line.isEmpty {
                        more = emit(rest[rest.startIndex...nl])
                    } else {
                        line.append(contentsOf: rest[rest.startIndex...nl])
                        more = emit(line[...])
                        line.removeAll(keepingCapacity: true)
                    }
                    rest = rest[(nl + 1)...]
                    if !more {
                        try await send(out[...])
                        return
                    }
                }
                line.append(contentsOf: rest)
                if line.count > Self.maxLine { line = [] }
                if out.count >= Self.flushSize {
                    try await send(out[...])
                    out.removeAll(keepingCapacity: true)
                }
                continue
            }
            // The end of a file: the next one, if this was a rotated file.
            if index < files.count - 1 && !reopen {
                line = []
                index += 1
                try open(at: 0)
                continue
            }
            if !options.follow || !found {
                // The last line may lack its newline (the kubelet prints it as it is).
                if !line.isEmpty { _ = emit(line[...]) }
                if !out.isEmpty { try await send(out[...]) }
                return
            }
            if !out.isEmpty {
                try await send(out[...])
                out.removeAll(keepingCapacity: true)
            }
            if reopen {
                // Drained the file that was rotated away: go on with the new live file.
                reopen = false
                line = []
                close(fd)
                fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
                if fd < 0 { throw ContainerLogError("failed to open log file \"\(path)\": \(String(cString: strerror(errno)))") }
                continue
            }
            if Self.rotatedAway(fd, path) {
                reopen = true
                continue  // read the old file to its end first
            }
            if !running() {
                found = false
                continue  // one last read: lines written before it stopped
            }
            try await Task.sleep(for: pollInterval)
        }
    }

    /// The file open at `fd` is no longer the one at `path` (the writer rotated it).
    private static func rotatedAway(_ fd: Int32, _ path: String) -> Bool {
        var open = stat(), named = stat()
        guard fstat(fd, &open) == 0, stat(path, &named) == 0 else { return false }
        return open.st_ino != named.st_ino || open.st_dev != named.st_dev
    }

    /// Where the last `n` lines begin, counting back across the files from the newest, as
    /// FindTailLineStartIndex counts newlines: (file index, offset).
    static func tailStart(_ files: [String], _ n: Int) -> (Int, off_t) {
        var count = 0
        var block = [UInt8](repeating: 0, count: blockSize)
        for index in files.indices.reversed() {
            let fd = open(files[index], O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { continue }
            defer { close(fd) }
            var right = lseek(fd, 0, SEEK_END)
            while right > 0 {
                let left = max(0, right - off_t(blockSize))
                let got = block.withUnsafeMutableBytes { pread(fd, $0.baseAddress, Int(right - left), left) }
                guard got > 0 else { break }
                for i in stride(from: got - 1, through: 0, by: -1) where block[i] == UInt8(ascii: "\n") {
                    count += 1
                    if count > n { return (index, left + off_t(i) + 1) }
                }
                right = left
            }
        }
        return (0, 0)
    }
}
