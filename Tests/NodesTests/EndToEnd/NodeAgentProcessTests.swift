import Foundation
import KplaneTestSupport
import Testing

/// `kplane node run`: a process-backed node joining a cluster from its own process, as a
/// kubelet on another machine joins; killed with -9, it leaves no process of its pods behind.
@Suite(.timeLimit(.minutes(2)), .offPool) struct NodeAgentProcessTests {
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

    /// A node killed with -9 leaves its bridge with a route to its block. The next node to claim
    /// that block, under another name, removes it: else the machine routes the new pods' traffic
    /// into the dead bridge, and their HTTP probes never pass (seen in CI).
    @Test func theNextNodeOnADeadNodesBlockRemovesItsNetworkAndItsPodsAnswer() throws {
        guard getuid() == 0 else { return }
        let server = try ServerProcess(role: "up", extraArgs: ["--nodes", "0"])
        let kubectl = Kubectl(binary: Kubectl.v132, server: server)
        let gone = try Self.startAgent(server, name: "gone-\(getpid())", dataDir: temporaryDirectory())
        defer { if gone.isRunning { kill(gone.processIdentifier, SIGKILL); gone.waitUntilExit() } }
        try waitUntil("the first node Ready") {
            try kubectl("get", "node", "gone-\(getpid())", "-o", "jsonpath={.status.conditions[?(@.type=='Ready')].status}").out == "True"
        }
        let cidr = try kubectl("get", "node", "gone-\(getpid())", "-o", "jsonpath={.spec.podCIDR}").out
        let pod = { (name: String, node: String) in """
            apiVersion: v1
            kind: Pod
            metadata: {name: \(name)}
            spec:
              nodeName: \(node)
              containers:
              - name: main
                image: node:20
                command: ["node", "-e", "require('http').createServer((q, s) => s.end('ok')).listen(3000, process.env.POD_IP)"]
                readinessProbe: {httpGet: {path: /, port: 3000}, periodSeconds: 1}
            """ }
        #expect(try kubectl("apply", "-f", "-", stdin: pod("on-gone", "gone-\(getpid())")).code == 0)
        try waitUntil("the first pod Ready") {
            try kubectl("get", "pod", "on-gone", "-o", "jsonpath={.status.conditions[?(@.type=='Ready')].status}").out == "True"
        }
        kill(gone.processIdentifier, SIGKILL)
        gone.waitUntilExit()
        let links = { (try? ServerProcess.run("/usr/bin/env", ["ip", "-o", "-4", "addr", "show"]).out) ?? "" }
        let gateway = cidr.replacingOccurrences(of: ".0/", with: ".1/")
        #expect(links().contains(gateway), "the dead node's bridge holds \(gateway)")

        // The next node asks for the dead node's block (as one restarted on its data dir would).
        let dir = temporaryDirectory(), next = "next-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir + "/nodes/\(next)", withIntermediateDirectories: true)
        try cidr.write(toFile: dir + "/nodes/\(next)/pod-cidr", atomically: true, encoding: .utf8)
        let agent = try Self.startAgent(server, name: next, dataDir: dir)
        defer { if agent.isRunning { agent.terminate(); agent.waitUntilExit() } }
        try waitUntil("the next node Ready") {
            try kubectl("get", "node", next, "-o", "jsonpath={.status.conditions[?(@.type=='Ready')].status}").out == "True"
        }
        #expect(try kubectl("get", "node", next, "-o", "jsonpath={.spec.podCIDR}").out == cidr)
        #expect(try kubectl("apply", "-f", "-", stdin: pod("on-next", next)).code == 0)
        try waitUntil("the next node's pod Ready through its HTTP probe") {
            try kubectl("get", "pod", "on-next", "-o", "jsonpath={.status.conditions[?(@.type=='Ready')].status}").out == "True"
        }
        // One bridge holds the block's gateway now: the next node's.
        #expect(links().components(separatedBy: " \(gateway) ").count == 2, "\(links())")
        // And the dead node's cgroups are gone with it.
        let number = cidr.split(separator: ".").dropFirst(2).first.map(String.init) ?? "?"
        #expect(!FileManager.default.fileExists(atPath: "/sys/fs/cgroup/memory/kplane/gone-\(getpid())@\(number)"))
    }

    static func startAgent(_ server: ServerProcess, name: String, dataDir: String) throws -> Process {
        let agent = Process()
        agent.executableURL = URL(fileURLWithPath: ServerProcess.binary)
        agent.arguments = ["node", "run", "--kubeconfig", server.kubeconfig, "--name", name, "--ordinal", "7", "--data-dir", dataDir]
        agent.standardOutput = FileHandle.nullDevice
        agent.standardError = FileHandle.nullDevice
        try agent.run()
        return agent
    }
}
