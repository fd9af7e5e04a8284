import Foundation
import KplaneTestSupport
import Testing

/// `kubectl attach` and `kubectl run -i` against a process node, through the API server to the
/// node's kubelet (WebSocket `v5.channel.k8s.io` for 1.32 and 1.37, SPDY for 1.28): the
/// container's live output by stream, its standard input (`stdin`, `stdinOnce`), its terminal,
/// and the errors a real cluster gives.
@Suite(.serialized, .timeLimit(.minutes(4)), .offPool) struct AttachE2ETests {
    /// Every kubectl to try: 1.32, 1.37 when installed, 1.28 (SPDY) when installed.
    static func versions(_ c: ProcessCluster) -> [Kubectl] { Kubectl.allProtocols(c.server) }

    /// A kubectl left running, its output going to files the test reads as it goes.
    final class Running {
        let process = Process()
        let out = temporaryDirectory() + "/out", err = temporaryDirectory() + "/err"

        init(_ kubectl: Kubectl, _ args: [String]) throws {
            FileManager.default.createFile(atPath: out, contents: nil)
            FileManager.default.createFile(atPath: err, contents: nil)
            process.executableURL = URL(fileURLWithPath: kubectl.binary)
            process.arguments = ["--kubeconfig", kubectl.server.kubeconfig, "--cache-dir", kubectl.cacheDir] + args
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = FileHandle(forWritingAtPath: out)
            process.standardError = FileHandle(forWritingAtPath: err)
            try process.run()
        }

        var stdout: String { (try? String(contentsOfFile: out, encoding: .utf8)) ?? "" }
        var stderr: String { (try? String(contentsOfFile: err, encoding: .utf8)) ?? "" }

        /// Waits for kubectl to exit by itself; its exit code.
        func exit(within seconds: Double = 20) throws -> Int32 {
            try waitUntil("kubectl to exit", seconds: seconds) { !process.isRunning }
            return process.terminationStatus
        }

        deinit { if process.isRunning { process.terminate() } }
    }

    static func ticker(_ name: String) -> String {
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: \(name)}
        spec:
          restartPolicy: Never
          containers:
          - name: app
            image: busybox
            command: ["sh", "-c", "echo started; i=0; while [ ! -e /tmp/go-\(name) ]; do echo tick-$i; i=$((i+1)); sleep 0.2; done; echo after-go; echo err-after >&2; exit 3"]
        """
    }

    @Test func attachedClientsSeeTheNewOutputByStreamUntilTheContainerEnds() throws {
        let c = try ProcessCluster()
        for (n, kubectl) in Self.versions(c).enumerated() {
            let name = "tick-\(n)"
            try c.apply(Self.ticker(name))
            try c.wait("the pod to run") { try c.get(name, "{.status.phase}") == "Running" }
            try c.wait("a few ticks") { try c.kubectl("logs", name).out.contains("tick-3") }
            // Two clients at once; `-t` on a container without a terminal is kubectl's warning.
            let plain = try Running(kubectl, ["attach", name])
            let withT = try Running(kubectl, ["attach", "-t", name])
            try c.wait("both to receive ticks") { plain.stdout.contains("tick-") && withT.stdout.contains("tick-") }
            #expect(try c.kubectl("exec", name, "--", "touch", "/tmp/go-\(name)").code == 0)
            for client in [plain, withT] {
                // The attach ends with the container, successfully: its exit code is not the attach's.
                #expect(try client.exit() == 0, "\(kubectl.binary): \(client.stderr)")
                #expect(client.stdout.hasSuffix("after-go\n"), "\(kubectl.binary): \(client.stdout)")
                #expect(client.stderr.contains("err-after\n") && !client.stdout.contains("err-after"), "\(kubectl.binary): \(client.stderr)")
                // Only what came after the attach: no history.
                #expect(!client.stdout.contains("started") && !client.stdout.contains("tick-0\n"), "\(client.stdout)")
                #expect(client.stderr.contains("If you don't see a command prompt, try pressing enter."))
            }
            #expect(withT.stderr.contains("error: Unable to use a TTY - container app did not allocate one"), "\(withT.stderr)")
            // The log is whole, as before. Its last two lines came through two pipes a moment
            // apart, so either may be first (as in a CRI log).
            let logs = try c.kubectl("logs", name).out
            #expect(logs.hasPrefix("started\ntick-0\n") && logs.contains("after-go\n") && logs.contains("err-after\n"), "\(logs)")
        }
    }

    @Test func runInteractiveEchoesInputAndExitsWithTheContainersCode() throws {
        let c = try ProcessCluster()
        for (n, kubectl) in Self.versions(c).enumerated() {
            let name = "cat-\(n)"
            // kubectl run -i: `stdin: true, stdinOnce: true`; the input's end closes the
            // container's stdin, cat ends, the attach with it, then the pod's exit code is kubectl's.
            let r = try kubectl("run", name, "--image=busybox", "--restart=Never", "-i", "--rm", "--command", "--",
                                "sh", "-c", "cat; echo done; exit 5", stdin: "hello\nworld\n")
            #expect(r.code == 5, "\(kubectl.binary): \(r.out) \(r.err)")
            #expect(r.out.hasPrefix("hello\nworld\ndone\n"), "\(kubectl.binary): \(r.out)")
            #expect(r.out.contains("pod \"\(name)\" deleted"), "\(kubectl.binary): \(r.out)")
            try c.wait("the pod to be gone") { try c.kubectl("get", "pod", name).code != 0 }
        }
    }

    @Test func stdinStaysOpenAcrossClientsWithoutStdinOnce() throws {
        let c = try ProcessCluster()
        try c.apply("""
            apiVersion: v1
            kind: Pod
            metadata: {name: echo}
            spec:
              restartPolicy: Never
              containers:
              - {name: app, image: busybox, command: ["cat"], stdin: true}
            """)
        try c.wait("the pod to run") { try c.get("echo", "{.status.phase}") == "Running" }
        // Each client's input reaches cat; its end detaches the client but leaves cat's stdin open.
        for (n, kubectl) in Self.versions(c).enumerated() {
            let r = try kubectl("attach", "-i", "echo", stdin: "line-\(n)\n")
            #expect(r.code == 0, "\(kubectl.binary): \(r.err)")
            try c.wait("cat to echo line-\(n)") { try c.kubectl("logs", "echo").out.contains("line-\(n)\n") }
        }
        #expect(try c.get("echo", "{.status.phase}") == "Running")
    }

    @Test func aTerminalContainerIsAttachedWithATerminalAndRefusesStderr() throws {
        let c = try ProcessCluster()
        try c.apply("""
            apiVersion: v1
            kind: Pod
            metadata: {name: term}
            spec:
              restartPolicy: Never
              containers:
              - {name: app, image: busybox, command: ["sh"], stdin: true, tty: true}
            """)
        try c.wait("the pod to run") { try c.get("term", "{.status.phase}") == "Running" }
        for kubectl in Self.versions(c) {
            // kubectl without a terminal of its own asks for stderr: the runtime refuses, as on a real cluster.
            let r = try kubectl("attach", "term", stdin: "")
            #expect(r.code == 1)
            // The kubelet's text body ("rpc error: code = InvalidArgument desc = …") reads as YAML
            // to the SPDY fallback of 1.28 and 1.32, which then prints an empty Status, as it
            // would from a real kubelet; 1.37 prints the text.
            #expect(r.err.contains("tty and stderr cannot both be true") || r.err.contains("Error from server: \n"), "\(kubectl.binary): \(r.err)")
        }
        // With a terminal (from `script`, 40 rows and 120 columns): raw keystrokes, resizes, and the
        // shell's exit ends the session. The keys come a second after kubectl starts, as a user's
        // would: kubectl sends its size and its input side by side, so input sent at once may
        // reach the shell before the size does (on a real cluster too).
        let command = "stty rows 40 cols 120; \(Kubectl.v132) --kubeconfig \(c.server.kubeconfig) attach -it term"
        let r = try ServerProcess.run("/bin/sh", ["-c", "(sleep 1; echo 'stty size; tty; exit 4') | /usr/bin/script -qec \"\(command)\" /dev/null"])
        #expect(r.out.contains("40 120"), "\(r.out) \(r.err)")
        #expect(r.out.contains("/dev/pts/"), "\(r.out)")
        #expect(r.code == 0, "\(r.out) \(r.err)")
        try c.wait("the shell to end") { try c.get("term", "{.status.containerStatuses[0].state.terminated.exitCode}") == "4" }
    }

    @Test func attachingToAContainerThatIsNotRunningOrAskingForNoStreamSaysSo() throws {
        let c = try ProcessCluster()
        try c.applyHalfEndedPod()
        for kubectl in Self.versions(c) {
            let r = try kubectl("attach", "half", "-c", "side")
            #expect(r.code == 1)
            #expect(r.err.contains("container side not found in pod half_default"), "\(kubectl.binary): \(r.err)")
        }
        // Streams none: the kubelet's 400, passed on.
        let none = try ServerProcess.run("/usr/bin/curl", [
            "-sS", "-X", "POST", "-H", "Connection: Upgrade", "-H", "Upgrade: SPDY/3.1", "-H", "X-Stream-Protocol-Version: v4.channel.k8s.io",
            "-w", "\n%{http_code}", "\(c.server.baseURL)/api/v1/namespaces/default/pods/half/attach?container=app",
        ])
        #expect(none.out.hasSuffix("\n400") && none.out.contains("you must specify at least 1 of stdin, stdout, stderr"), "\(none.out) \(none.err)")
    }
}
