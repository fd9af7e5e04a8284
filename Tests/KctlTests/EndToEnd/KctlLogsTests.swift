import Foundation
import KplaneTestSupport
import Testing

/// `kctl logs -f` against a server that streams a log slowly, as a kubelet behind a real API
/// server does: lines are printed as they arrive, and the command ends when the stream does.
@Suite(.offPool) struct KctlLogsTests {
    @Test func followPrintsLinesAsTheyArrive() throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("streaming_log_server.py").path
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        server.arguments = ["python3", script]
        let serverOut = Pipe()
        server.standardOutput = serverOut
        try server.run()
        // SIGKILL: children of the test runner inherit its blocked signals, SIGTERM among them.
        defer { kill(server.processIdentifier, SIGKILL); server.waitUntilExit() }
        let port = String(decoding: serverOut.fileHandleForReading.availableData, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(Int(port) != nil)

        let kctl = Process()
        kctl.executableURL = URL(fileURLWithPath: KctlRunner.binary)
        kctl.arguments = ["-s", "http://127.0.0.1:\(port)", "logs", "p", "-f", "--prefix", "--timestamps"]
        let out = Pipe()
        kctl.standardOutput = out
        kctl.standardError = FileHandle.nullDevice
        try kctl.run()
        // The first complete line comes while the server still holds the stream open.
        var text = ""
        let deadline = Date().addingTimeInterval(20)
        while !text.contains("\n"), Date() < deadline {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        #expect(text == "[pod/p/app] query container=app&follow=true&timestamps=true\n")
        #expect(kctl.isRunning)
        _ = try ServerProcess.run("/usr/bin/env", ["curl", "-s", "http://127.0.0.1:\(port)/release"])
        text += String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        kctl.waitUntilExit()
        #expect(kctl.terminationStatus == 0)
        #expect(text == "[pod/p/app] query container=app&follow=true&timestamps=true\n[pod/p/app] first half\n[pod/p/app] last line\n")
    }
}
