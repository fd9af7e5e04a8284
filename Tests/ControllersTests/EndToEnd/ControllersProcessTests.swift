import Foundation
import KplaneTestSupport
import Testing

/// `kplane controllers` as its own process over HTTP, against `kplane apiserver`: the same
/// controllers as in `kplane up`, so the same objects appear. (No nodes run here, so pods stay
/// Pending and a rollout stops at its surge.)
@Suite(.offPool) struct ControllersProcessTests {
    @Test func controllersOverHTTPBehaveAsInProcess() throws {
        let server = try ServerProcess()
        let controllers = try server.spawnRole("controllers")
        defer { controllers.terminate(); controllers.waitUntilExit() }
        let k = Kubectl(binary: Kubectl.v132, server: server)
        #expect(try k("create", "deployment", "web", "--image=nginx", "--replicas=4").code == 0)
        func poll(_ what: String, _ done: () throws -> Bool) throws {
            for _ in 0..<200 { if try done() { return }; Thread.sleep(forTimeInterval: 0.05) }
            Issue.record("timed out waiting for \(what)")
        }
        try poll("4 pods") { try k("get", "pods", "-o", "name").out.split(separator: "\n").count == 4 }
        let rs = try k("get", "rs", "-o", "jsonpath={.items[0].metadata.name} {.items[0].metadata.ownerReferences[0].kind} {.items[0].metadata.annotations.deployment\\.kubernetes\\.io/revision}").out
        #expect(rs.hasPrefix("web-") && rs.hasSuffix(" Deployment 1"))
        let pod = try k("get", "pods", "-o", "jsonpath={.items[0].metadata.ownerReferences[0].kind} {.items[0].metadata.labels.pod-template-hash}").out
        #expect(pod.hasPrefix("ReplicaSet ") && rs.contains(String(pod.dropFirst("ReplicaSet ".count))))
        // Over HTTP too the controllers' writes are kube-controller-manager's.
        let managers = try k("get", "rs", "-o", "jsonpath={.items[0].metadata.managedFields[*].manager}").out
        #expect(managers.split(separator: " ").allSatisfy { $0 == "kube-controller-manager" } && !managers.isEmpty, "\(managers)")
        // A new template: a second ReplicaSet. 25% of 4 is 1 surge and 1 unavailable; no pod is
        // available, so the old ReplicaSet's unready pods go first (4→3) and the new one grows to
        // 2: 5 pods, as kube-controller-manager does it.
        #expect(try k("set", "image", "deployment/web", "nginx=nginx:2").code == 0)
        try poll("5 pods in 2 ReplicaSets") {
            try k("get", "pods", "-o", "name").out.split(separator: "\n").count == 5 && k("get", "rs", "-o", "name").out.split(separator: "\n").count == 2
        }
        let status = try k("get", "deploy", "web", "-o", "jsonpath={.status.updatedReplicas} {.status.replicas} {.status.unavailableReplicas}").out
        #expect(status == "2 5 5")
        let events = try k("get", "events", "-o", "jsonpath={.items[*].reason}").out
        #expect(events.contains("ScalingReplicaSet") && events.contains("SuccessfulCreate"))
        // The garbage collector and namespace controller, over HTTP too.
        #expect(try k("create", "namespace", "team").code == 0)
        #expect(try k("create", "configmap", "c", "-n", "team", "--from-literal=a=b").code == 0)
        #expect(try k("delete", "deployment", "web").code == 0)
        #expect(try k("delete", "namespace", "team", "--timeout=20s").code == 0)
        try poll("no ReplicaSet or pod left") { try k("get", "rs,pods", "-o", "name").out.isEmpty }
    }
}
