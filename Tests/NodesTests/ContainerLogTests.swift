import Foundation
import KubeClient
import KplaneTestSupport
import Testing

@testable import Nodes

/// The writer: a real process's stdout and stderr through the pipes, into CRI lines on disk.
@Suite struct ContainerLogTests {
    static let start = Date(timeIntervalSince1970: 1_790_000_000.5)

    /// Runs `script` under sh with the log's pipes as its stdout and stderr, and waits until
    /// every line is on disk.
    static func run(_ script: String, into log: ContainerLog) async throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", script]
        p.standardOutput = FileHandle(fileDescriptor: log.stdout, closeOnDealloc: false)
        p.standardError = FileHandle(fileDescriptor: log.stderr, closeOnDealloc: false)
        try p.run()
        log.closeWriteEnds()
        try await offPool { p.waitUntilExit() }
        await log.finished()
    }

    static func lines(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    @Test func writesCRILinesForBothStreams() async throws {
        let root = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let clock = ManualClock(start: Self.start)
        let log = try ContainerLog(root: root, namespace: "default", pod: "web", uid: "u-1", container: "app", restartCount: 2, clock: clock)
        #expect(log.path == root + "/default_web_u-1/app/2.log")
        try await Self.run("echo one; echo two >&2; printf 'no newline'", into: log)
        let lines = try Self.lines(log.path)
        #expect(lines.count == 3)
        #expect(lines.contains("2026-09-21T14:13:20.5Z stdout F one"))
        #expect(lines.contains("2026-09-21T14:13:20.5Z stderr F two"))
        // A last line without its newline is a partial line, as containerd writes it.
        #expect(lines.contains("2026-09-21T14:13:20.5Z stdout P no newline"))
    }

    @Test func cutsLongLinesIntoPartialPiecesOf16KiB() async throws {
        let root = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let log = try ContainerLog(root: root, namespace: "ns", pod: "p", uid: "u", container: "c", restartCount: 0, clock: ManualClock(start: Self.start))
        // 40000 bytes and a newline: 16384 + 16384 as P, 7232 as F.
        try await Self.run("head -c 40000 /dev/zero | tr '\\0' x; echo; echo short", into: log)
        let lines = try Self.lines(log.path)
        let shapes = lines.map { line -> String in
            let parts = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false)
            return "\(parts[2]) \(parts.count > 3 ? parts[3].count : 0)"
        }
        #expect(shapes == ["P 16384", "P 16384", "F 7232", "F 5"])
        // Read back, the pieces are one line again.
        let reader = ContainerLogReader(path: log.path, options: ContainerLogOptions(), clock: SystemClock()) { false }
        var out: [UInt8] = []
        try await reader.read { out += $0 }
        #expect(out == Array(repeating: UInt8(ascii: "x"), count: 40000) + Array("\nshort\n".utf8))
    }

    @Test func rotatesBySizeKeepingMaxFiles() async throws {
        let root = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let clock = ManualClock(start: Self.start)
        let log = try ContainerLog(root: root, namespace: "ns", pod: "p", uid: "u", container: "c", restartCount: 0,
                                   maxSize: 4096, maxFiles: 3, clock: clock)
        // About 30 KiB of lines in bursts (the size is checked after each write): several
        // rotations, of which only maxFiles-1 rotated files stay.
        try await Self.run("i=0; while [ $i -lt 600 ]; do echo line-$i-padding-padding; i=$((i+1)); [ $((i % 50)) -eq 0 ] && sleep 0.02; done", into: log)
        let dir = (log.path as NSString).deletingLastPathComponent
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
        #expect(files.count == 3, "\(files)")
        #expect(files.contains("0.log"))
        // Rotated names are the kubelet's: <path>.<20060102-150405> (made unique within a second).
        #expect(files.filter { $0.hasPrefix("0.log.20260921-141320") }.count == 2)
        // The newest lines are all there, in order, across the rotated file and the live one.
        let reader = ContainerLogReader(path: log.path, options: ContainerLogOptions(tailLines: 100), clock: clock) { false }
        var out: [UInt8] = []
        try await reader.read { out += $0 }
        let text = String(decoding: out, as: UTF8.self).split(separator: "\n").map(String.init)
        #expect(text == (500..<600).map { "line-\($0)-padding-padding" })
    }

    /// A process that writes without newlines cannot grow the agent's memory: the flood is cut
    /// into 16 KiB partial lines as it comes, and rotation bounds the disk.
    @Test func aFloodWithoutNewlinesKeepsMemoryAndDiskBounded() async throws {
        let root = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let log = try ContainerLog(root: root, namespace: "ns", pod: "p", uid: "u", container: "c", restartCount: 0,
                                   maxSize: 1 << 20, maxFiles: 3, clock: SystemClock())
        let before = Self.maxResidentKiB()
        try await Self.run("head -c 50000000 /dev/zero | tr '\\0' x", into: log)
        let grown = Self.maxResidentKiB() - before
        #expect(grown < 40 * 1024, "peak memory grew by \(grown) KiB for a 50 MB line")
        let dir = (log.path as NSString).deletingLastPathComponent
        let files = try FileManager.default.contentsOfDirectory(atPath: dir)
        #expect(files.count <= 3)
        var total = 0
        for f in files { total += (try FileManager.default.attributesOfItem(atPath: dir + "/" + f)[.size] as? Int) ?? 0 }
        #expect(total < 4 << 20)
        for line in try Self.lines(log.path) {
            let parts = line.split(separator: " ", maxSplits: 3)
            #expect(parts[2] == "P" && parts[3].count <= 16384)
        }
    }

    static func maxResidentKiB() -> Int {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return usage.ru_maxrss
    }

    @Test func timestampsRoundTrip() {
        let t = CRITimestamp(seconds: 1_790_000_000, nanos: 120_000_000)
        #expect(t.formatted(fixed: false) == "2026-09-21T14:13:20.12Z")
        #expect(t.formatted(fixed: true) == "2026-09-21T14:13:20.120000000Z")
        #expect(CRITimestamp(seconds: 0, nanos: 0).formatted(fixed: false) == "1970-01-01T00:00:00Z")
        #expect(CRITimestamp.parse(Array("2026-09-21T14:13:20.12Z".utf8)[...]) == t)
        #expect(CRITimestamp.parse(Array("2026-09-21T16:13:20.12+02:00".utf8)[...]) == t)
        #expect(CRITimestamp.parse(Array("2026-09-21 14:13:20Z".utf8)[...]) == nil)
        #expect(RotatingLogFile.suffix(t.date) == "20260921-141320")
    }
}
