import Foundation
import KplaneTestSupport
import Testing

/// Real kubectl against `kplane up`: the rollout story of the workloads issue, end to end.
/// Probe delays run at a twentieth of their real length to keep the test short.
@Suite(.serialized, .offPool) struct WorkloadsE2ETests {
    func lines(_ s: String) -> [String] { s.split(separator: "\n").map(String.init) }

    @Test func applyRollOutUndoScaleRestartDelete() throws {
        let server = try ServerProcess(role: "up", extraArgs: ["--nodes", "3", "--probe-delay-scale", "0.05"])
        let k = Kubectl(binary: Kubectl.v132, server: server)
        #expect(try k("apply", "-f", k.manifests).code == 0)
        let nodes = try k("get", "nodes", "--no-headers")
        #expect(lines(nodes.out).count == 3 && lines(nodes.out).allSatisfy { $0.contains(" Ready ") })
        let wait = try k("wait", "--for=condition=Available", "deployment/myapp", "--timeout=30s")
        #expect(wait.code == 0, "\(wait.err)")
        #expect(try k("set", "image", "deployment/myapp", "myapp=myapp:2.0.0").out == "deployment.apps/myapp image updated\n")
        let status = try k("rollout", "status", "deployment/myapp", "--timeout=30s")
        #expect(status.code == 0)
        #expect(status.out.hasSuffix("deployment \"myapp\" successfully rolled out\n"))
        #expect(lines(try k("rollout", "history", "deployment/myapp").out).filter { $0.first?.isNumber == true }.map { String($0.prefix(1)) } == ["1", "2"])
        #expect(try k("rollout", "undo", "deployment/myapp").out == "deployment.apps/myapp rolled back\n")
        #expect(try k("rollout", "status", "deployment/myapp", "--timeout=30s").code == 0)
        #expect(try k("get", "deploy", "myapp", "-o", "jsonpath={.spec.template.spec.containers[0].image}").out == "myapp:1.0.0")
        #expect(lines(try k("rollout", "history", "deployment/myapp").out).filter { $0.first?.isNumber == true }.map { String($0.prefix(1)) } == ["2", "3"])
        #expect(try k("scale", "deployment/myapp", "--replicas=10").code == 0)
        #expect(try k("rollout", "status", "deployment/myapp", "--timeout=30s").code == 0)
        #expect(try k("get", "deploy", "myapp", "-o", "jsonpath={.status.availableReplicas}").out == "10")
        #expect(try k("rollout", "restart", "deployment/myapp").out == "deployment.apps/myapp restarted\n")
        #expect(try k("rollout", "status", "deployment/myapp", "--timeout=30s").code == 0)
        let describe = try k("describe", "deployment", "myapp").out
        #expect(describe.contains("ScalingReplicaSet") && describe.contains("deployment-controller"))
        // Simulated containers run nothing: an empty log, and no previous container. (Once the
        // old pods are gone: kubectl may pick a terminating pod, which vanishes mid-request.)
        for _ in 0..<100 {
            if lines(try k("get", "pods", "--no-headers").out).count == 10 { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        let logs = try k("logs", "deploy/myapp")
        #expect(logs.code == 0 && logs.out.isEmpty, "\(logs.err)")
        let previous = try k("logs", "deploy/myapp", "--previous")
        #expect(previous.code == 1 && previous.err.contains("previous terminated container \"myapp\""))
        #expect(try k("delete", "deployment", "myapp").code == 0)
        var left = ""
        for _ in 0..<100 {
            left = try k("get", "rs,pods", "-l", "app=myapp", "--no-headers").out
            if left.isEmpty { break }
            Thread.sleep(forTimeInterval: 0.1)
        }
        #expect(left.isEmpty, "left behind: \(left)")
    }

    @Test func restartResumesWithoutDuplicates() throws {
        let dir = temporaryDirectory()
        var server = try ServerProcess(dataDir: dir, role: "up", extraArgs: ["--nodes", "3"])
        var k = Kubectl(binary: Kubectl.v132, server: server)
        #expect(try k("create", "deployment", "web", "--image=nginx", "--replicas=4").code == 0)
        #expect(try k("rollout", "status", "deployment/web", "--timeout=30s").code == 0)
        let before = Set(lines(try k("get", "pods", "-o", "name").out))
        #expect(before.count == 4)
        server.stop()
        server = try ServerProcess(dataDir: dir, role: "up", extraArgs: ["--nodes", "3"])
        k = Kubectl(binary: Kubectl.v132, server: server)
        #expect(try k("rollout", "status", "deployment/web", "--timeout=30s").code == 0)
        // Give the controllers a moment to (wrongly) act, then check they did not.
        Thread.sleep(forTimeInterval: 0.5)
        #expect(Set(lines(try k("get", "pods", "-o", "name").out)) == before)
        #expect(lines(try k("get", "rs", "-o", "name").out).count == 1)
    }
}
