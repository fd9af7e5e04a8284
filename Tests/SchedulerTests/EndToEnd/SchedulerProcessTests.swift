import Foundation
import KplaneTestSupport
import Testing

/// `kplane scheduler` as its own process over HTTP against `kplane apiserver`, as
/// kube-scheduler runs: it places pods on the nodes it finds and says why when it cannot.
/// And `kplane node stop|start` against `kplane up`.
@Suite(.offPool) struct SchedulerProcessTests {
    func poll(_ what: String, _ done: () throws -> Bool) throws {
        for _ in 0..<200 { if try done() { return }; Thread.sleep(forTimeInterval: 0.05) }
        Issue.record("timed out waiting for \(what)")
    }

    @Test func schedulerOverHTTPBindsAndExplains() throws {
        let server = try ServerProcess()
        let scheduler = try server.spawnRole("scheduler")
        defer { scheduler.terminate(); scheduler.waitUntilExit() }
        let k = Kubectl(binary: Kubectl.v132, server: server)
        for (name, cpu) in [("small", "2"), ("large", "8")] {
            let node = """
                apiVersion: v1
                kind: Node
                metadata: {name: \(name), labels: {kubernetes.io/hostname: \(name)}}
                status:
                  capacity: {cpu: "\(cpu)", memory: 8Gi, pods: "110"}
                  allocatable: {cpu: "\(cpu)", memory: 8Gi, pods: "110"}
                  conditions: [{type: Ready, status: "True"}]
                """
            #expect(try k("apply", "-f", "-", stdin: node).code == 0)
        }
        try k("run", "wide", "--image=nginx", "--overrides={\"spec\":{\"containers\":[{\"name\":\"wide\",\"image\":\"nginx\",\"resources\":{\"requests\":{\"cpu\":\"4\"}}}]}}")
        try poll("wide on large") { try k("get", "pod", "wide", "-o", "jsonpath={.spec.nodeName}").out == "large" }
        try k("run", "huge", "--image=nginx", "--overrides={\"spec\":{\"containers\":[{\"name\":\"huge\",\"image\":\"nginx\",\"resources\":{\"requests\":{\"cpu\":\"16\"}}}]}}")
        let message = "0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod."
        try poll("huge to be unschedulable") {
            try k("get", "pod", "huge", "-o", "jsonpath={.status.conditions[0].message}").out == message
        }
        let events = try k("get", "events", "--field-selector", "involvedObject.name=huge", "-o", "jsonpath={.items[*].reason}").out
        #expect(events.contains("FailedScheduling"))
    }

    @Test func nodeStopAndStartSetThePowerAnnotation() throws {
        let server = try ServerProcess(role: "up", extraArgs: ["--nodes", "3"])
        let k = Kubectl(binary: Kubectl.v132, server: server)
        func kplane(_ args: String...) throws -> (code: Int32, out: String, err: String) {
            try ServerProcess.run(ServerProcess.binary, args + ["--kubeconfig", server.kubeconfig])
        }
        #expect(try kplane("node", "stop", "kplane-node-2").out == "node/kplane-node-2 stopped\n")
        #expect(try k("get", "node", "kplane-node-2", "-o", "jsonpath={.metadata.annotations.kplane\\.dev/power}").out == "off")
        #expect(try kplane("node", "start", "kplane-node-2").out == "node/kplane-node-2 started\n")
        #expect(try k("get", "node", "kplane-node-2", "-o", "jsonpath={.metadata.annotations.kplane\\.dev/power}").out == "")
        let missing = try kplane("node", "stop", "nope")
        #expect(missing.code == 1 && missing.err == "Error from server (NotFound): nodes \"nope\" not found\n")
        // Without --kubeconfig it finds the cluster as kubectl does: $KUBECONFIG, else ~/.kube/config.
        let viaEnvironment = try ServerProcess.run(ServerProcess.binary, ["node", "stop", "kplane-node-1"],
                                                   env: ["KUBECONFIG": "/nonexistent/config:" + server.kubeconfig])
        #expect(viaEnvironment.out == "node/kplane-node-1 stopped\n", "\(viaEnvironment.err)")
        let home = temporaryDirectory()
        try FileManager.default.createDirectory(atPath: home + "/.kube", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: server.kubeconfig, toPath: home + "/.kube/config")
        let viaHome = try ServerProcess.run(ServerProcess.binary, ["node", "start", "kplane-node-1"], env: ["KUBECONFIG": "", "HOME": home])
        #expect(viaHome.out == "node/kplane-node-1 started\n", "\(viaHome.err)")
        let nowhere = try ServerProcess.run(ServerProcess.binary, ["node", "stop", "kplane-node-1"], env: ["KUBECONFIG": "", "HOME": temporaryDirectory()])
        #expect(nowhere.code == 1 && nowhere.err.contains("The connection to the server localhost:8080 was refused"))
    }

    @Test func controllersAndSchedulerFindTheKubeconfigAsKubectlDoes() throws {
        let server = try ServerProcess()
        for role in ["controllers", "scheduler"] {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: ServerProcess.binary)
            p.arguments = [role]
            var environment = ProcessInfo.processInfo.environment
            environment["KUBECONFIG"] = server.kubeconfig
            p.environment = environment
            let out = Pipe()
            p.standardOutput = out
            try p.run()
            let line = String(decoding: out.fileHandleForReading.availableData, as: UTF8.self)
            p.terminate()
            p.waitUntilExit()
            #expect(line.hasPrefix("kplane \(role): synced with \(server.baseURL)"), "\(role): \(line)")
        }
    }
}
