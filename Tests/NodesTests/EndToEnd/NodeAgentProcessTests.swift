import Foundation
import KplaneTestSupport
import Testing

/// `kplane node run`: a process-backed node joining a cluster from its own process, as a
/// kubelet on another machine joins; killed with -9, it leaves no process of its pods behind.
@Suite(.timeLimit(.minutes(2))) struct NodeAgentProcessTests {
    @Test func aNodeJoinsRunsItsPodsAndTakesThemWithItWhenKilled() throws {
        let server = try ServerProcess(role: "up", extraArgs: ["--nodes", "0"])
        let kubectl = Kubectl(binary: Kubectl.v132, server: server)
        let agent = Process()
        agent.executableURL = URL(fileURLWithPath: ServerProcess.binary)
        agent.arguments = ["node", "run", "--kubeconfig", server.kubeconfig, "--name", "joined", "--ordinal", "7",
                           "--data-dir", temporaryDirectory()]
        agent.standardOutput = FileHandle.nullDevice
        agent.standardError = FileHandle.nullDevice
        try agent.run()
        defer { if agent.isRunning { kill(agent.processIdentifier, SIGKILL); agent.waitUntilExit() } }
                try waitUntil("the node Ready") {
            try kubectl("get", "node", "joined", "-o", "jsonpath={.status.conditions[?(@.type=='Ready')].status}").out == "True"
        }
        #expect(try kubectl("get", "node", "joined", "-o", "jsonpath={.metadata.labels.type}").out == "kplane-process")
        #expect(try kubectl("get", "node", "joined", "-o", "jsonpath={.status.addresses[0].address}").out == "127.0.1.8")
        #expect(try kubectl("get", "node", "joined", "-o", "jsonpath={.status.nodeInfo.containerRuntimeVersion}").out == "kplane-process://0.1.0")
        let marker = "\(Int.random(in: 100_000...999_999))"
        let r = try kubectl("apply", "-f", "-", stdin: """
            apiVersion: v1
            kind: Pod
            metadata: {name: on-joined}
            spec:
              containers:
              - {name: main, image: busybox, command: ["sleep", "\(marker)"]}
              # The seed app's image runs as USER nodejs: changing ids must not undo dying with the agent.
              - {name: as-user, image: "myapp:1.0.0", command: ["sleep", "\(marker)"]}
            """)
        #expect(r.code == 0, "\(r.err)")
        try waitUntil("the pod Running on the joined node") {
            try kubectl("get", "pod", "on-joined", "-o", "jsonpath={.spec.nodeName}/{.status.phase}").out == "joined/Running"
        }
        #expect(processes(containing: "sleep \(marker)").count == 2)
        kill(agent.processIdentifier, SIGKILL)
        agent.waitUntilExit()
        try waitUntil("no process left", seconds: 3) { processes(containing: "sleep \(marker)").isEmpty }
        // Started again on its data dir, it runs the pod again (a restart, counted); stopped
        // with SIGTERM, it removes its network (namespaces, bridge) before it exits.
        let again = Process()
        again.executableURL = agent.executableURL
        again.arguments = agent.arguments
        again.standardOutput = FileHandle.nullDevice
        again.standardError = FileHandle.nullDevice
        try again.run()
        defer { if again.isRunning { kill(again.processIdentifier, SIGKILL); again.waitUntilExit() } }
        try waitUntil("the pod running again") {
            try kubectl("get", "pod", "on-joined", "-o", "jsonpath={.status.containerStatuses[0].restartCount}").out == "1"
                && processes(containing: "sleep \(marker)").count == 2
        }
        let uid = try kubectl("get", "pod", "on-joined", "-o", "jsonpath={.metadata.uid}").out
        again.terminate()
        again.waitUntilExit()
        #expect(processes(containing: "sleep \(marker)").isEmpty)
        let namespaces = try ServerProcess.run("/usr/bin/env", ["ip", "netns", "list"]).out
        #expect(!namespaces.contains(uid))
    }
}

