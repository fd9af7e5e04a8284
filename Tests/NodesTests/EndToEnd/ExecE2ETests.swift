import Foundation
import KplaneTestSupport
import Testing

/// `kubectl exec` against a process node, through the API server to the node's kubelet over
/// WebSocket `v5.channel.k8s.io`: the command runs in the container (its environment, working
/// directory and namespaces), output and exit codes come back, stdin and its end reach it.
@Suite(.serialized, .timeLimit(.minutes(3)), .offPool) struct ExecE2ETests {
    static let pod = """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers:
          - name: app
            image: busybox
            command: ["sh", "-c", "echo started; sleep 600"]
            workingDir: /tmp
            env: [{name: GREETING, value: hello from the container}]
        """

    @Test func execRunsInTheContainerAndPassesBackOutputExitCodesAndStdin() throws {
        let c = try ProcessCluster()
        try c.apply(Self.pod)
        try c.wait("the pod to run") { try c.get("web", "{.status.phase}") == "Running" }
        for kubectl in Kubectl.all(c.server) {
            let r = try kubectl("exec", "web", "--", "sh", "-c", "echo $GREETING; pwd; echo to-stderr >&2")
            #expect(r.code == 0, "\(kubectl.binary): \(r.err)")
            #expect(r.out == "hello from the container\n/tmp\n", "\(kubectl.binary)")
            #expect(r.err == "to-stderr\n", "\(kubectl.binary)")

            let exit3 = try kubectl("exec", "web", "--", "sh", "-c", "exit 3")
            #expect(exit3.code == 3, "\(kubectl.binary): \(exit3.err)")
            #expect(exit3.err.contains("command terminated with exit code 3"), "\(kubectl.binary): \(exit3.err)")

            let cat = try kubectl("exec", "-i", "web", "--", "sh", "-c", "cat; echo done", stdin: "hello\nworld\n")
            #expect(cat.code == 0, "\(kubectl.binary): \(cat.err)")
            #expect(cat.out == "hello\nworld\ndone\n", "\(kubectl.binary)")

            let wrong = try kubectl("exec", "web", "-c", "nope", "--", "true")
            #expect(wrong.code == 1)
            #expect(wrong.err.contains("container nope is not valid for pod web"), "\(kubectl.binary): \(wrong.err)")
        }
        // Its own PID namespace: the container's process is PID 1, as the exec'd shell sees it.
        if getuid() == 0 {
            let ps = try c.kubectl("exec", "web", "--", "sh", "-c", "cat /proc/1/cmdline | tr '\\0' ' '")
            #expect(ps.out.contains("sleep 600"), "\(ps.out) \(ps.err)")
        }
    }

    @Test func execWithATerminalRunsAnInteractiveShellAndFollowsResizes() throws {
        let c = try ProcessCluster()
        try c.apply(Self.pod)
        try c.wait("the pod to run") { try c.get("web", "{.status.phase}") == "Running" }
        // `script` gives kubectl a terminal of 40 rows and 120 columns, as a user's would be;
        // the shell's first question to it already has the answer (over WebSocket and SPDY).
        for kubectl in Kubectl.allProtocols(c.server) {
            let command = "stty rows 40 cols 120; \(kubectl.binary) --kubeconfig \(c.server.kubeconfig) exec -it web -- sh -c 'tty; stty size; exit 4'"
            let r = try ServerProcess.run("/usr/bin/script", ["-qec", command, "/dev/null"])
            #expect(r.out.contains("/dev/pts/"), "\(kubectl.binary): \(r.out) \(r.err)")
            #expect(r.out.contains("40 120"), "\(kubectl.binary): \(r.out)")
            #expect(r.code == 4, "\(kubectl.binary): \(r.out) \(r.err)")
        }
    }

    /// `kubectl cp` is `tar` through exec: a file there and back, whole, with every protocol.
    @Test func copyingAFileIntoAPodAndBackKeepsItWhole() throws {
        let c = try ProcessCluster()
        try c.apply(Self.pod)
        try c.wait("the pod to run") { try c.get("web", "{.status.phase}") == "Running" }
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let content = (0..<20_000).map { "line \($0)\n" }.joined()
        try content.write(toFile: dir + "/notes.txt", atomically: true, encoding: .utf8)
        for (i, kubectl) in Kubectl.allProtocols(c.server).enumerated() {
            let into = try kubectl("cp", dir + "/notes.txt", "web:/tmp/notes-\(i).txt")
            #expect(into.code == 0, "\(kubectl.binary): \(into.err)")
            let size = try kubectl("exec", "web", "--", "wc", "-c", "/tmp/notes-\(i).txt")
            #expect(size.out.hasPrefix("\(content.utf8.count) "), "\(kubectl.binary): \(size.out) \(size.err)")
            let back = try kubectl("cp", "web:/tmp/notes-\(i).txt", dir + "/back-\(i).txt")
            #expect(back.code == 0, "\(kubectl.binary): \(back.err)")
            #expect((try? String(contentsOfFile: dir + "/back-\(i).txt", encoding: .utf8)) == content, "\(kubectl.binary)")
        }
    }

    @Test func execIntoAContainerThatIsNotRunningSaysSo() throws {
        let c = try ProcessCluster()
        try c.applyHalfEndedPod()
        for kubectl in Kubectl.all(c.server) {
            // The kubelet's refusal, passed on by the API server, as kubectl prints it on a real cluster.
            let r = try kubectl("exec", "half", "-c", "side", "--", "true")
            #expect(r.code == 1)
            #expect(r.err.contains("container not found (\"side\")"), "\(kubectl.binary): \(r.err)")
        }
    }

    /// kubectl 1.28 speaks SPDY/3.1 (`v4.channel.k8s.io`, `portforward.k8s.io`) for both.
    @Test func kubectl128ExecsAndForwardsOverSPDY() throws {
        let c = try ProcessCluster()
        try c.apply(Self.pod + "\n---\n" + Self.httpd)
        try c.wait("the pods to run") { try c.get("web", "{.status.phase}") == "Running" && c.get("httpd", "{.status.phase}") == "Running" }
        let k128 = Kubectl(binary: try #require(Kubectl.v128, "kubectl 1.28 is installed"), server: c.server)
        let r = try k128("exec", "web", "--", "sh", "-c", "echo $GREETING; echo err >&2; exit 3")
        #expect(r.out == "hello from the container\n")
        #expect(r.err == "err\ncommand terminated with exit code 3\n")
        #expect(r.code == 3)
        let cat = try k128("exec", "-i", "web", "--", "cat", stdin: "a\nb\n")
        #expect(cat.out == "a\nb\n" && cat.code == 0, "\(cat.err)")
        try Self.expectForwarding(k128, c, localPort: 18480)
    }

    /// port-forward to a port only the pod's own localhost serves, through the WebSocket tunnel
    /// (1.32, 1.37): several ports at once, a closed one's error as the kubelet reports it.
    @Test func portForwardReachesThePodsLocalhostAndReportsAClosedPort() throws {
        let c = try ProcessCluster()
        try c.apply(Self.httpd)
        try c.wait("the pod to run") { try c.get("httpd", "{.status.phase}") == "Running" }
        for (i, kubectl) in Kubectl.all(c.server).enumerated() {
            try Self.expectForwarding(kubectl, c, localPort: 18490 + 10 * i)
        }
    }

    static let httpd = """
        apiVersion: v1
        kind: Pod
        metadata: {name: httpd}
        spec:
          containers:
          - name: app
            image: busybox
            command: ["python3", "-m", "http.server", "3000", "--bind", "127.0.0.1"]
        """

    /// `port-forward pod/httpd P:3000 P+1:3001`: a page through the first, the kubelet's
    /// refusal on the error stream for the second.
    static func expectForwarding(_ kubectl: Kubectl, _ c: ProcessCluster, localPort: Int) throws {
        let forward = Process()
        forward.executableURL = URL(fileURLWithPath: kubectl.binary)
        forward.arguments = ["--kubeconfig", c.server.kubeconfig, "port-forward", "pod/httpd", "\(localPort):3000", "\(localPort + 1):3001"]
        let out = Pipe(), err = Pipe()
        forward.standardOutput = out
        forward.standardError = err
        try forward.run()
        defer { if forward.isRunning { forward.terminate() }; forward.waitUntilExit() }
        var page = ""
        try waitUntil("the forwarded port to answer", seconds: 10) {
            page = (try? ServerProcess.run("/usr/bin/curl", ["-sS", "-m", "3", "http://127.0.0.1:\(localPort)/"]).out) ?? ""
            return page.contains("Directory listing")
        }
        _ = try? ServerProcess.run("/usr/bin/curl", ["-sS", "-m", "3", "http://127.0.0.1:\(localPort + 1)/"])
        // kubectl gives up after an error on the error stream ("lost connection to pod").
        let deadline = Date().addingTimeInterval(5)
        while forward.isRunning && Date() < deadline { usleep(100_000) }
        let exitedByItself = !forward.isRunning
        if forward.isRunning { forward.terminate() }
        forward.waitUntilExit()
        let printed = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let logged = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(printed.contains("Forwarding from 127.0.0.1:\(localPort) -> 3000"), "\(printed)")
        #expect(logged.contains("error forwarding port 3001 to pod "), "\(kubectl.binary): \(logged)")
        #expect(logged.contains("dial tcp4 127.0.0.1:3001: connect: connection refused"), "\(logged)")
        #expect(exitedByItself && logged.contains("error: lost connection to pod"), "\(kubectl.binary): \(logged)")
    }
}
