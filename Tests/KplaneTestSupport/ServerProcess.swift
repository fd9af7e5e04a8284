import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A `kplane apiserver` child process on a free loopback port, for integration tests.
public final class ServerProcess: @unchecked Sendable {
    // Safety: mutated only by the test that owns it, never concurrently.
    public let dataDir: String
    public private(set) var port = 0
    private var process: Process?

    public var baseURL: String { "http://127.0.0.1:\(port)" }
    public var kubeconfig: String { dataDir + "/kubeconfig" }

    public static var binary: String {
        // KPLANE_BINARY runs the suite's server tests against another build (an older one, say).
        if let path = ProcessInfo.processInfo.environment["KPLANE_BINARY"] { return path }
        let besideTests = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("kplane").path
        if FileManager.default.isExecutableFile(atPath: besideTests) { return besideTests }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/kplane").path
    }

    public let extraArgs: [String]
    /// `apiserver` alone, or `up` for the whole cluster.
    public let role: String

    /// Where the child's standard error goes (its log lines); nowhere when nil.
    public let stderrFile: String?

    /// Variables set in the child's environment besides this process's.
    public let environment: [String: String]

    public init(dataDir: String? = nil, role: String = "apiserver", extraArgs: [String] = [], stderrFile: String? = nil,
                environment: [String: String] = [:]) throws {
        self.dataDir = dataDir ?? temporaryDirectory()
        self.extraArgs = extraArgs
        self.environment = environment
        self.role = role
        self.stderrFile = stderrFile
        try start()
    }

    public func start() throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.binary)
        p.arguments = [role, "--port", "0", "--data-dir", dataDir] + extraArgs
        if !environment.isEmpty { p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        let out = Pipe()
        p.standardOutput = out
        p.standardError = stderrFile.flatMap { FileHandle(forWritingAtPath: $0) } ?? FileHandle.nullDevice
        try p.run()
        process = p
        var text = ""
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
            if let r = text.range(of: " on http://127.0.0.1:"),
                let end = text[r.upperBound...].firstIndex(where: { !$0.isNumber }), let port = Int(text[r.upperBound..<end])
            {
                self.port = port
                // Keep draining stdout so the child never blocks on a full pipe.
                let handle = out.fileHandleForReading
                Thread.detachNewThread { while !handle.availableData.isEmpty {} }
                return
            }
        }
        throw NSError(domain: "ServerProcess", code: 1, userInfo: [NSLocalizedDescriptionKey: "server did not start: \(text)"])
    }

    /// Stops the server; `kill9` simulates a crash (no clean shutdown).
    public func stop(kill9: Bool = false) {
        guard let p = process else { return }
        if kill9 { kill(p.processIdentifier, SIGKILL) } else { p.terminate() }
        // A server that does not stop within 10 s (a frozen one) is killed, so no test hangs on it.
        let deadline = Date().addingTimeInterval(10)
        while p.isRunning && Date() < deadline { usleep(20_000) }
        if p.isRunning { kill(p.processIdentifier, SIGKILL) }
        p.waitUntilExit()
        process = nil
    }

    deinit { stop() }

    public var isRunning: Bool { process?.isRunning ?? false }

    /// The server's resident memory, from /proc (Linux) or ps.
    public var residentBytes: Int? {
        guard let pid = process?.processIdentifier else { return nil }
        if let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kb = Int(line.split(separator: " ")[1])
        {
            return kb * 1024
        }
        let ps = try? Self.run("/bin/ps", ["-o", "rss=", "-p", String(pid)])
        return ps.flatMap { Int($0.out.trimmingCharacters(in: .whitespacesAndNewlines)) }.map { $0 * 1024 }
    }

    public struct Reply {
        public let status: Int
        public let headers: [String: String]
        public let body: Data
        public var text: String { String(decoding: body, as: UTF8.self) }
        public var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
    }

    public func request(_ method: String, _ path: String, body: String? = nil, contentType: String = "application/json",
                 accept: String = "application/json", headers: [String: String] = [:]) async throws -> Reply {
        var r = URLRequest(url: URL(string: baseURL + path)!)
        r.httpMethod = method
        r.setValue(accept, forHTTPHeaderField: "Accept")
        if let body {
            r.httpBody = Data(body.utf8)
            r.setValue(contentType, forHTTPHeaderField: "Content-Type")
        }
        for (k, v) in headers { r.setValue(v, forHTTPHeaderField: k) }
        let (data, response) = try await URLSession.shared.data(for: r)
        let http = response as? HTTPURLResponse
        var h: [String: String] = [:]
        for (k, v) in http?.allHeaderFields ?? [:] { h[String(describing: k).lowercased()] = String(describing: v) }
        return Reply(status: http?.statusCode ?? 0, headers: h, body: data)
    }

    /// Starts another kplane role (`controllers`, `scheduler`) against this server; the caller
    /// terminates it.
    public func spawnRole(_ role: String) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.binary)
        p.arguments = [role, "--kubeconfig", kubeconfig]
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        return p
    }

    /// Runs a command (kubectl, curl, python) and returns its exit code, stdout and stderr.
    public static func run(_ exe: String, _ args: [String], stdin: String? = nil, env: [String: String] = [:]) throws -> (code: Int32, out: String, err: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = args
        var environment = ProcessInfo.processInfo.environment
        for (k, v) in env { environment[k] = v }
        p.environment = environment
        let out = Pipe()
        let err = Pipe()
        p.standardOutput = out
        p.standardError = err
        let input = Pipe()
        p.standardInput = input
        try p.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try? input.fileHandleForWriting.close()
        // Read both pipes concurrently so neither fills up and blocks the child.
        nonisolated(unsafe) var errData = Data()
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            done.signal()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        done.wait()
        return (p.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }
}
