import Foundation
import KplaneTestSupport
import Testing

/// `kplane apiserver` logs on standard error in klog's line format.
@Suite struct LoggingTests {
    @Test(.offPool) func linesHaveKlogsHeader() throws {
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
        // At -v 2 other lines may come first (the Service range claimed); find the serving line.
        func servingLine() -> String? { text.split(separator: "\n").first { $0.contains("Serving insecurely") }.map(String.init) }
        while Date() < deadline, servingLine() == nil || !text.hasSuffix("\n") {
            let chunk = err.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        // I1201 19:11:28.123456   12345 APIServer.swift:38] Serving insecurely on 127.0.0.1:PORT ...
        let line = servingLine() ?? text
        #expect(text.split(separator: "\n").allSatisfy { $0.wholeMatch(of: #/[IWE]\d{4} \d\d:\d\d:\d\d\.\d{6} +\d+ \w+\.swift:\d+\] .*/#) != nil }, "\(text)")
        #expect(line.wholeMatch(of: #/I\d{4} \d\d:\d\d:\d\d\.\d{6} +\d+ APIServer\.swift:\d+\] Serving insecurely on 127\.0\.0\.1:\d+ component="kplane\.apiserver"/#) != nil, "\(line)")
    }

    /// `kplane up -v 2`: each reconcile and the notable events, one klog line each.
    @Test func upAtVerbosityTwoShowsReconciles() async throws {
        let dir = temporaryDirectory()
        let log = dir + ".stderr"
        FileManager.default.createFile(atPath: log, contents: nil)
        defer {
            try? FileManager.default.removeItem(atPath: log)
            try? FileManager.default.removeItem(atPath: dir)
        }
        let server = try ServerProcess(dataDir: dir, role: "up", extraArgs: ["--nodes", "1", "-v", "2"], stderrFile: log)
        defer { server.stop() }
        let deployment = #"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"app","image":"app:1"}]}}}}"#
        #expect(try await server.request("POST", "/apis/apps/v1/namespaces/default/deployments", body: deployment).status == 201)
        let wanted = [
            #/I\d{4} [\d:.]+ +\d+ Controller\.swift:\d+\] Syncing component="deployment-controller" key="default/web"/#,
            #/\] Finished syncing component="deployment-controller" duration="[^"]+" key="default/web"/#,
            #/\] Scaled up replica set component="deployment-controller" deployment="default/web" from="0" replicaSet="web-[a-z0-9]+" to="2"/#,
            #/\] Successfully bound pod to node component="scheduler" node="[^"]+" pod="default/web-[a-z0-9-]+"/#,
            #/\] Starting controller component="replicaset-controller" controller="replicaset-controller" workers="5"/#,
        ]
        var text = ""
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            if wanted.allSatisfy({ text.contains($0) }) { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        for w in wanted { #expect(text.contains(w), "\(text.suffix(3000))") }
    }
}
