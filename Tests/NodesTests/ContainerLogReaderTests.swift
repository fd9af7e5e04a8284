import Foundation
import KubeClient
import KplaneTestSupport
import Synchronization
import Testing

@testable import Nodes

/// The reader's options, as the kubelet applies them, over a log split across a rotated file
/// and the live one.
@Suite struct ContainerLogReaderTests {
    static let t0: Int64 = 1_790_000_000

    /// Six lines one second apart (the third on stderr, the fifth in two partial pieces); the
    /// first three in a rotated file.
    static func makeLog() throws -> String {
        let dir = temporaryDirectory()
        func line(_ second: Int64, _ stream: String, _ tag: String, _ text: String) -> String {
            "\(CRITimestamp(seconds: t0 + second, nanos: 5).formatted(fixed: false)) \(stream) \(tag) \(text)\n"
        }
        let rotated = line(0, "stdout", "F", "zero") + line(1, "stdout", "F", "one") + line(2, "stderr", "F", "two")
        let live = line(3, "stdout", "F", "three") + "not a CRI line\n" + line(4, "stdout", "P", "fo") + line(4, "stdout", "F", "ur") + line(5, "stdout", "F", "five")
        try rotated.write(toFile: dir + "/0.log.20260921-141322", atomically: true, encoding: .utf8)
        try live.write(toFile: dir + "/0.log", atomically: true, encoding: .utf8)
        return dir + "/0.log"
    }

    static func read(_ path: String, _ options: ContainerLogOptions, now: Int64 = t0 + 10) async throws -> String {
        let clock = ManualClock(start: Date(timeIntervalSince1970: Double(now)))
        let reader = ContainerLogReader(path: path, options: options, clock: clock) { false }
        var out: [UInt8] = []
        try await reader.read { out += $0 }
        return String(decoding: out, as: UTF8.self)
    }

    static let cases: [(String, ContainerLogOptions, String)] = [
        ("everything, across the rotated file", ContainerLogOptions(), "zero\none\ntwo\nthree\nfour\nfive\n"),
        ("tailLines within the live file (a partial piece counts as a line)", ContainerLogOptions(tailLines: 3), "four\nfive\n"),
        // FindTailLineStartIndex counts file lines: the partial piece is a line of its own.
        ("tailLines into the rotated file", ContainerLogOptions(tailLines: 6), "two\nthree\nfour\nfive\n"),
        ("tailLines larger than the log", ContainerLogOptions(tailLines: 100), "zero\none\ntwo\nthree\nfour\nfive\n"),
        ("tailLines 0", ContainerLogOptions(tailLines: 0), ""),
        ("limitBytes cuts a line", ContainerLogOptions(limitBytes: 7), "zero\non"),
        ("sinceTime", ContainerLogOptions(sinceTime: Date(timeIntervalSince1970: Double(t0 + 3))), "three\nfour\nfive\n"),
        ("sinceSeconds from the clock's now", ContainerLogOptions(sinceSeconds: 8), "two\nthree\nfour\nfive\n"),
        ("timestamps, nine digits", ContainerLogOptions(timestamps: true, tailLines: 1), "2026-09-21T14:13:25.000000005Z five\n"),
        ("timestamps and limitBytes", ContainerLogOptions(timestamps: true, tailLines: 1, limitBytes: 10), "2026-09-21"),
    ]

    @Test(arguments: cases.indices) func option(_ i: Int) async throws {
        let (name, options, expected) = Self.cases[i]
        let path = try Self.makeLog()
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        #expect(try await Self.read(path, options) == expected, "\(name)")
    }

    @Test func decodesAndValidatesTheQueryAsTheKubelet() throws {
        #expect(try ContainerLogOptions(query: ["follow": "1", "tailLines": "3", "timestamps": "false"])
            == ContainerLogOptions(follow: true, tailLines: 3))
        #expect(try ContainerLogOptions(query: ["tail": "all"]) == ContainerLogOptions())
        #expect(try ContainerLogOptions(query: ["tail": "4"]) == ContainerLogOptions(tailLines: 4))
        #expect(try ContainerLogOptions(query: ["sinceTime": "2026-09-21T14:13:20Z"]).sinceTime == Date(timeIntervalSince1970: 1_790_000_000))
        #expect(throws: ContainerLogOptions.Problem.undecodable) { try ContainerLogOptions(query: ["tailLines": "x"]) }
        #expect(throws: ContainerLogOptions.Problem.invalid) { try ContainerLogOptions(query: ["tailLines": "-1"]) }
        #expect(throws: ContainerLogOptions.Problem.invalid) { try ContainerLogOptions(query: ["limitBytes": "0"]) }
        #expect(throws: ContainerLogOptions.Problem.invalid) { try ContainerLogOptions(query: ["sinceSeconds": "0"]) }
        #expect(throws: ContainerLogOptions.Problem.invalid) {
            try ContainerLogOptions(query: ["sinceSeconds": "5", "sinceTime": "2026-09-21T14:13:20Z"])
        }
    }

    /// Following: lines written later arrive, a rotation under the reader loses nothing, and the
    /// read ends once the container stops, after its last lines.
    @Test func followsAcrossRotationUntilTheContainerStops() async throws {
        let root = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let log = try ContainerLog(root: root, namespace: "ns", pod: "p", uid: "u", container: "c", restartCount: 0,
                                   maxSize: 2048, maxFiles: 5, clock: SystemClock())
        let running = Atomic(true)
        var reader = ContainerLogReader(path: log.path, options: ContainerLogOptions(follow: true), clock: SystemClock()) { running.load(ordering: .acquiring) }
        reader.pollInterval = .milliseconds(20)
        let received = Mutex<[UInt8]>([])
        let follower = Task { [reader] in
            try await reader.read { chunk in received.withLock { $0 += chunk } }
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        // 60 lines of ~40 bytes in 2 KiB files: the live file rotates while it is followed.
        p.arguments = ["-c", "i=0; while [ $i -lt 60 ]; do echo follow-line-$i; i=$((i+1)); [ $((i % 10)) -eq 0 ] && sleep 0.1; done"]
        p.standardOutput = FileHandle(fileDescriptor: log.stdout, closeOnDealloc: false)
        p.standardError = FileHandle(fileDescriptor: log.stderr, closeOnDealloc: false)
        try p.run()
        log.closeWriteEnds()
        try await Task.sleep(for: .milliseconds(150))
        // Still following: the container runs.
        #expect(!received.withLock { $0.isEmpty })
        try await offPool { p.waitUntilExit() }
        await log.finished()
        running.store(false, ordering: .releasing)
        try await follower.value
        let text = String(decoding: received.withLock { $0 }, as: UTF8.self)
        #expect(text == (0..<60).map { "follow-line-\($0)\n" }.joined())
    }
}
