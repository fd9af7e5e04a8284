import Foundation
import KplaneTestSupport
import Testing

/// `kubectl exec` against a process node, through the API server to the node's kubelet over
/// WebSocket `v5.channel.k8s.io`: the command runs in the container (its environment, working
/// directory and namespaces), output and exit codes come back, stdin and its end reach it.
@Suite(.serialized, .timeLimit(.minutes(3))) struct ExecE2ETests {
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
        // `script` gives kubectl a terminal of 40 rows and 120 columns, as a user's would be.
        let command = "stty rows 40 cols 120; \(Kubectl.v132) --kubeconfig \(c.server.kubeconfig) exec -it web -- sh -c 'tty; stty size; exit 4'"
        let r = try ServerProcess.run("/usr/bin/script", ["-qec", command, "/dev/null"])
        #expect(r.out.contains("/dev/pts/"), "\(r.out) \(r.err)")
        #expect(r.out.contains("40 120"), "\(r.out)")
        #expect(r.code == 4, "\(r.out) \(r.err)")
    }

    @Test func execIntoAContainerThatIsNotRunningSaysSo() throws {
        let c = try ProcessCluster()
        try c.apply("""
            apiVersion: v1
            kind: Pod
            metadata: {name: half}
            spec:
              restartPolicy: Never
              containers:
              - {name: app, image: busybox, command: ["sleep", "600"]}
              - {name: side, image: busybox, command: ["true"]}
            """)
        try c.wait("the side container to end") { try c.get("half", "{.status.containerStatuses[1].state.terminated.reason}") == "Completed" }
        for kubectl in Kubectl.all(c.server) {
            // The kubelet's refusal, passed on by the API server, as kubectl prints it on a real cluster.
            let r = try kubectl("exec", "half", "-c", "side", "--", "true")
            #expect(r.code == 1)
            #expect(r.err.contains("container not found (\"side\")"), "\(kubectl.binary): \(r.err)")
        }
    }
}
