import Foundation
import Testing

/// `kplane apiserver` logs on standard error in klog's line format.
@Suite struct LoggingTests {
    @Test func linesHaveKlogsHeader() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: ServerProcess.binary)
        p.arguments = ["apiserver", "--port", "0", "--data-dir", dir, "-v", "2"]
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        defer {
            p.terminate()
            p.waitUntilExit()
        }
        var text = ""
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline, !text.contains("\n") {
            let chunk = err.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        // I1201 19:11:28.123456   12345 APIServer.swift:38] Serving insecurely on 127.0.0.1:PORT ...
        let line = String(text.split(separator: "\n").first ?? "")
        #expect(line.wholeMatch(of: #/I\d{4} \d\d:\d\d:\d\d\.\d{6} +\d+ APIServer\.swift:\d+\] Serving insecurely on 127\.0\.0\.1:\d+ component="kplane\.apiserver"/#) != nil, "\(line)")
    }
}
