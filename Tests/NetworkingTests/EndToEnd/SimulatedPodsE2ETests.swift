import Foundation
import KplaneTestSupport
import Testing

/// A Deployment on simulated nodes answers HTTP through its Service's ClusterIP and through the
/// API server's `services/proxy` and `pods/proxy`, which dial where a simulated pod answers
/// (never its unrouted `10.244.x` address).
@Suite(.timeLimit(.minutes(3)), .offPool)
struct SimulatedPodsE2ETests {
    @Test func simulatedPodsAnswerThroughTheServiceAndTheAPIServersProxy() throws {
        let server = try ServerProcess(role: "up", extraArgs: ["--nodes", "2", "--process-nodes", "0"])
        let kubectl = Kubectl(binary: Kubectl.v132, server: server)
        let applied = try kubectl("apply", "-f", "-", stdin: """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              replicas: 2
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers: [{name: web, image: "nginx:1.27", ports: [{containerPort: 8080}]}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web}
            spec:
              selector: {app: web}
              ports: [{port: 80, targetPort: 8080}]
            """)
        #expect(applied.code == 0, "\(applied.err)")
        #expect(try kubectl("rollout", "status", "deployment/web", "--timeout=60s").code == 0)
        let pod = try kubectl("get", "pods", "-l", "app=web", "-o", "jsonpath={.items[0].metadata.name}").out
        #expect(try kubectl("get", "pod", pod, "-o", "jsonpath={.status.podIP}").out.hasPrefix("10.244."))

        var raw = (code: Int32(1), out: "", err: "")
        try waitUntil("services/proxy to answer", seconds: 30) {
            raw = try kubectl("get", "--raw", "/api/v1/namespaces/default/services/web:80/proxy/hello")
            return raw.code == 0
        }
        #expect(raw.out.contains("\"simulated\":true") && raw.out.contains("/hello"), "\(raw)")
        let direct = try kubectl("get", "--raw", "/api/v1/namespaces/default/pods/\(pod):8080/proxy/")
        #expect(direct.code == 0 && direct.out.contains(pod), "\(direct)")
        let clusterIP = try kubectl("get", "svc", "web", "-o", "jsonpath={.spec.clusterIP}").out
        let curl = try ServerProcess.run("/usr/bin/curl", ["-sS", "-m", "5", "http://\(clusterIP)/"])
        #expect(curl.out.contains("\"simulated\":true"), "\(curl)")
    }
}
