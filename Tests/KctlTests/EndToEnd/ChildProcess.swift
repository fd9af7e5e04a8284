import Foundation
import KplaneTestSupport
import Synchronization

/// A command run without blocking the test's task: its output is gathered as it comes (by
/// Foundation's readability handlers), its end awaited through the termination handler.
final class ChildProcess: Sendable {
    // Safety: Process is thread-safe for what is used here (pid, run once in init).
    nonisolated(unsafe) private let process: Process
    private let output = Mutex<(out: [UInt8], err: [UInt8])>(([], []))
    private let ended = Mutex<(code: Int32?, waiters: [CheckedContinuation<Int32, Never>])>((nil, []))
    private let input: Pipe

    init(_ executable: String, _ args: [String], stdin: String? = nil) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = args
        let out = Pipe(), err = Pipe()
        input = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = input
        process = p
        out.fileHandleForReading.readabilityHandler = { [weak self] h in
            let d = h.availableData
            self?.output.withLock { $0.out += d }
        }
        err.fileHandleForReading.readabilityHandler = { [weak self] h in
            let d = h.availableData
            self?.output.withLock { $0.err += d }
        }
        p.terminationHandler = { [weak self] p in
            guard let self else { return }
            let waiters = self.ended.withLock { s in
                s.code = p.terminationStatus
                defer { s.waiters = [] }
                return s.waiters
            }
            for w in waiters { w.resume(returning: p.terminationStatus) }
        }
        try p.run()
        if let stdin {
            input.fileHandleForWriting.write(Data(stdin.utf8))
            try? input.fileHandleForWriting.close()
        }
    }

    /// kctl (or another client binary) against `server`.
    static func kctl(_ server: ServerProcess, _ args: [String], stdin: String? = nil, binary: String = KctlRunner.binary) throws -> ChildProcess {
        try ChildProcess(binary, ["--kubeconfig", server.kubeconfig] + args, stdin: stdin)
    }

    var out: String { String(decoding: output.withLock { $0.out }, as: UTF8.self) }
    var err: String { String(decoding: output.withLock { $0.err }, as: UTF8.self) }

    func exitCode() async -> Int32 {
        let code = await withCheckedContinuation { (c: CheckedContinuation<Int32, Never>) in
            let done = ended.withLock { s -> Int32? in
                if let code = s.code { return code }
                s.waiters.append(c)
                return nil
            }
            if let done { c.resume(returning: done) }
        }
        // The last output may still be in the pipes' handlers.
        try? await Task.sleep(for: .milliseconds(100))
        return code
    }

    var isRunning: Bool { ended.withLock { $0.code == nil } }

    func interrupt() { if isRunning { kill(process.processIdentifier, SIGINT) } }

    func stop() { if isRunning { kill(process.processIdentifier, SIGKILL) } }

    deinit { stop() }

    /// Runs to the end: exit code, stdout, stderr.
    static func run(_ server: ServerProcess, _ args: String..., stdin: String? = nil, binary: String = KctlRunner.binary) async throws
        -> (code: Int32, out: String, err: String)
    {
        try await run(server, args, stdin: stdin, binary: binary)
    }

    static func run(_ server: ServerProcess, _ args: [String], stdin: String? = nil, binary: String = KctlRunner.binary) async throws
        -> (code: Int32, out: String, err: String)
    {
        let p = try kctl(server, args, stdin: stdin, binary: binary)
        let code = await p.exitCode()
        return (code, p.out, p.err)
    }
}

/// Polls `condition` every 100 ms for up to `seconds` without blocking a thread.
func eventually(_ what: String, seconds: Double = 20, _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(100))
    }
    throw WaitedTooLong(description: "timed out waiting for \(what) (\(seconds) s)")
}

struct WaitedTooLong: Error, CustomStringConvertible {
    let description: String
}
