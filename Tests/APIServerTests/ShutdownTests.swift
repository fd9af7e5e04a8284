import Foundation
import KplaneTestSupport
import Testing

/// SIGTERM stops the server at once though watches are open: it ends them (as kube-apiserver
/// closes its watches when it stops) instead of waiting for them, which would be forever.
@Suite(.offPool) struct ShutdownTests {
    @Test(arguments: ["apiserver", "up"])
    func sigtermEndsOpenWatches(role: String) throws {
        let server = try ServerProcess(role: role, extraArgs: role == "up" ? ["--nodes", "1"] : [])
        let watch = Process()
        watch.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        watch.arguments = ["curl", "-sN", "\(server.baseURL)/api/v1/namespaces/default/configmaps?watch=true"]
        watch.standardOutput = FileHandle.nullDevice
        watch.standardError = FileHandle.nullDevice
        try watch.run()
        defer { if watch.isRunning { watch.terminate() } }
        usleep(500_000)   // the watch is open
        #expect(watch.isRunning)
        let started = Date()
        server.stop()   // SIGTERM; SIGKILL only after 10 s
        #expect(!server.isRunning)
        #expect(Date().timeIntervalSince(started) < 5)
        watch.waitUntilExit()
    }
}
