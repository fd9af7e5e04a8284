import Foundation
import KubeClient
import KplaneTestSupport
import Synchronization
import Testing

@testable import Nodes

/// What `attach` is made of on the node: a container's live output handed to attached clients
/// beside its log (stdout and stderr apart, from the attach moment on, several clients at once),
/// and the input the runtime keeps for it (a socket's end, or a terminal).
@Suite struct ContainerAttachTests {
    /// What a client received, by stream.
    final class Received: Sendable {
        let bytes = Mutex<[[UInt8]]>([[], []])
        var stdout: String { String(decoding: bytes.withLock { $0[0] }, as: UTF8.self) }
        var stderr: String { String(decoding: bytes.withLock { $0[1] }, as: UTF8.self) }
        func sink(_ stream: Int) -> OutputAttachment.Sink { { piece in self.bytes.withLock { $0[stream] += piece } } }
    }

    /// Starts `script` under sh with the log's terminal or pipes as its streams (and `stdin`
    /// as its input); the log's write ends are closed once it has them.
    static func start(_ script: String, _ log: ContainerLog, stdin: Int32 = -1) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", script]
        p.standardOutput = FileHandle(fileDescriptor: log.stdout, closeOnDealloc: false)
        p.standardError = FileHandle(fileDescriptor: log.stderr, closeOnDealloc: false)
        let input = stdin >= 0 ? stdin : log.terminal.map { _ in log.stdout } ?? -1
        p.standardInput = input >= 0 ? FileHandle(fileDescriptor: input, closeOnDealloc: false) : FileHandle.nullDevice
        try p.run()
        log.closeWriteEnds()
        return p
    }

    static func file(_ log: ContainerLog) -> String { (try? String(contentsOfFile: log.path, encoding: .utf8)) ?? "" }

    @Test func attachedClientsGetTheLiveOutputByStreamAndTheLogStaysWhole() async throws {
        let root = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let log = try ContainerLog(root: root, namespace: "ns", pod: "p", uid: "u", container: "c", restartCount: 0, clock: SystemClock())
        let gate = root + "/go"
        let p = try Self.start("echo early; echo early-err >&2; while [ ! -e \(gate) ]; do sleep 0.02; done; echo late; echo late-err >&2", log)
        try await waitFor("the early lines in the log") { Self.file(log).contains("stderr F early-err") && Self.file(log).contains("stdout F early") }
        // A piece goes to the file, then to the clients of that moment: let those hand-overs pass.
        try await Task.sleep(for: .milliseconds(200))
        let both = Received(), outOnly = Received()
        let a = log.attach(stdout: both.sink(0), stderr: both.sink(1))
        let b = log.attach(stdout: outOnly.sink(0), stderr: nil)
        FileManager.default.createFile(atPath: gate, contents: nil)
        await a.finished()
        await b.finished()
        await log.finished()
        _ = p
        // Only what came after the attach, each stream on its own.
        #expect(both.stdout == "late\n" && both.stderr == "late-err\n")
        #expect(outOnly.stdout == "late\n" && outOnly.stderr == "")
        let lines = Self.file(log).split(separator: "\n").map { $0.split(separator: " ", maxSplits: 1).last.map(String.init) ?? "" }
        #expect(lines.sorted() == ["stderr F early-err", "stderr F late-err", "stdout F early", "stdout F late"])
        // A client attaching after the end is done at once.
        await log.attach(stdout: Received().sink(0), stderr: nil).finished()
    }

    @Test func aDetachedOrFailingClientGetsNothingMore() async throws {
        let root = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let log = try ContainerLog(root: root, namespace: "ns", pod: "p", uid: "u", container: "c", restartCount: 0, clock: SystemClock())
        let gate = root + "/go"
        let detached = Received(), staying = Received()
        struct Gone: Error {}
        let failing = log.attach(stdout: { _ in throw Gone() }, stderr: nil)
        let a = log.attach(stdout: detached.sink(0), stderr: nil)
        let b = log.attach(stdout: staying.sink(0), stderr: nil)
        let p = try Self.start("echo one; while [ ! -e \(gate) ]; do sleep 0.02; done; echo two", log)
        try await waitFor("the first line") { staying.stdout == "one\n" }
        // The failing client was dropped at its first write.
        await failing.finished()
        a.detach()
        await a.finished()
        FileManager.default.createFile(atPath: gate, contents: nil)
        await b.finished()
        _ = p
        #expect(detached.stdout == "one\n")
        #expect(staying.stdout == "one\ntwo\n")
    }

    @Test func aTerminalIsOneStreamAndTakesInputAndResizes() async throws {
        let root = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let log = try ContainerLog(root: root, namespace: "ns", pod: "p", uid: "u", container: "c", restartCount: 0, tty: true, clock: SystemClock())
        let input = try ContainerInput(stdin: true, stdinOnce: false, terminal: log.terminal)
        let seen = Received()
        let attachment = log.attach(stdout: seen.sink(0), stderr: seen.sink(1))
        let p = try Self.start("read line; stty size; echo \"got $line\" >&2", log)
        input.resize(width: 120, height: 40)
        #expect(input.write(Array("hello\n".utf8)))
        await attachment.finished()
        _ = p
        // The terminal echoes the input and turns newlines into CR LF; stderr is on it too.
        #expect(seen.stdout.contains("hello\r\n"), "\(seen.stdout)")
        #expect(seen.stdout.contains("40 120\r\n"), "\(seen.stdout)")
        #expect(seen.stdout.contains("got hello\r\n") && seen.stderr == "", "\(seen.stdout)")
        #expect(Self.file(log).contains("stdout F got hello\r"), "\(Self.file(log))")
    }

    @Test func standardInputIsASocketThatEndsWhenClosed() async throws {
        let root = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let log = try ContainerLog(root: root, namespace: "ns", pod: "p", uid: "u", container: "c", restartCount: 0, clock: SystemClock())
        let input = try ContainerInput(stdin: true, stdinOnce: true, terminal: nil)
        let seen = Received()
        let attachment = log.attach(stdout: seen.sink(0), stderr: nil)
        let p = try Self.start("cat; echo eof", log, stdin: input.processStdin)
        input.closeChildEnd()
        #expect(input.write(Array("hello\n".utf8)))
        input.closeStdin()
        await attachment.finished()
        _ = p
        #expect(seen.stdout == "hello\neof\n")
        // The instance is gone: writes fail, they reach no other descriptor.
        input.instanceEnded()
        #expect(!input.write(Array("late\n".utf8)))
        // Without `stdin: true` there is nothing to write to.
        let none = try ContainerInput(stdin: false, stdinOnce: false, terminal: nil)
        #expect(none.processStdin == -1 && !none.write([1]))
    }

    struct WaitFailed: Error { let what: String }

    /// Polls without holding a thread of the concurrency pool.
    func waitFor(_ what: String, seconds: Double = 10, _ condition: () -> Bool) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while !condition() {
            guard Date() < deadline else { throw WaitFailed(what: what) }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
