import Foundation
import KplaneTestSupport
import Testing

/// The seed's Deployment and Service under `kplane up --process-nodes 1`, reached with curl
/// through the Service proxy, with real kubectl; the endpoints come from the EndpointSlice
/// controller, and readiness from real probes.
@Suite(.timeLimit(.minutes(6)), .serialized, .offPool)
struct ServiceProxyE2ETests {
    let server: ServerProcess
    let kubectl: Kubectl

    init() throws {
        server = try ServerProcess(role: "up", extraArgs: ["--process-nodes", "1"])
        kubectl = Kubectl(binary: Kubectl.v132, server: server)
    }

    func ok(_ args: String...) throws -> String {
        let r = try kubectl.run(args)
        #expect(r.code == 0, "kubectl \(args.joined(separator: " ")): \(r.err)")
        return r.out
    }

    /// `curl -s URL`, the pod named in the seed app's answer, or curl's failure.
    func curl(_ url: String) throws -> (pod: String?, code: Int32, err: String) {
        let r = try ServerProcess.run("/usr/bin/env", ["curl", "-sS", "-m", "5", url])
        let body = try? JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any]
        return (body?["pod"] as? String, r.code, r.err)
    }

    func eventually(_ what: String, seconds: Double = 10, _ condition: () throws -> Bool) throws {
        try waitUntil(what, seconds: seconds, condition)
    }

    @Test func theSeedsServiceAnswersOnItsClusterIPNodePortAndLoadBalancer() throws {
        let m = kubectl.manifests
        _ = try ok("apply", "-f", m + "/config.yaml", "-f", m + "/deployment.yaml", "-f", m + "/service-ingress.yaml")
        let rollout = try kubectl("rollout", "status", "deployment/myapp", "--timeout=150s")
        #expect(rollout.code == 0, "\(rollout.err)")
        let lines = try ok("get", "pods", "-l", "app=myapp", "-o", "jsonpath={range .items[*]}{.metadata.name} {.status.podIP}{\"\\n\"}{end}")
        let pods = lines.split(separator: "\n").map { l in let f = l.split(separator: " "); return (pod: String(f[0]), ip: String(f[1])) }
        #expect(pods.count == 3)
        // ClusterIP:80 reaches the app, round-robin over the three pods.
        let clusterIP = try ok("get", "svc", "myapp", "-o", "jsonpath={.spec.clusterIP}")
        var seen = Set<String>()
        try eventually("the ClusterIP to reach every pod") {
            if let pod = try curl("http://\(clusterIP)/").pod { seen.insert(pod) }
            return seen == Set(pods.map(\.pod))
        }

        // NodePort: allocated from 30000-32767, answering on 127.0.0.1 and the node's address.
        _ = try ok("expose", "deployment", "myapp", "--name", "myapp-np", "--type", "NodePort", "--port", "80", "--target-port", "3000")
        let nodePort = try ok("get", "svc", "myapp-np", "-o", "jsonpath={.spec.ports[0].nodePort}")
        #expect((30000...32767).contains(Int(nodePort) ?? 0), "\(nodePort)")
        let nodeIP = try ok("get", "node", "kplane-process-1", "-o", "jsonpath={.status.addresses[?(@.type==\"InternalIP\")].address}")
        for host in ["127.0.0.1", nodeIP] {
            try eventually("NodePort on \(host)") { try curl("http://\(host):\(nodePort)/").pod != nil }
        }

        // LoadBalancer: an address in status.loadBalancer.ingress, shown by kubectl, answering.
        _ = try ok("expose", "deployment", "myapp", "--name", "myapp-lb", "--type", "LoadBalancer", "--port", "80", "--target-port", "3000")
        var lb = ""
        try eventually("a LoadBalancer address") {
            lb = try ok("get", "svc", "myapp-lb", "-o", "jsonpath={.status.loadBalancer.ingress[0].ip}")
            return !lb.isEmpty
        }
        #expect(lb.hasPrefix("127.0.2."))
        #expect(try ok("get", "svc", "myapp-lb").contains(lb))
        try eventually("the LoadBalancer address to answer") { try curl("http://\(lb)/").pod != nil }
    }

    /// Readiness moves traffic: a pod whose readiness probe fails leaves the Service's endpoints
    /// and gets no new connection; with no ready pod the ClusterIP refuses (a reset); ready
    /// again, it is back. Each pod is unready while a file named after it exists in a hostPath
    /// directory the test holds.
    @Test func readinessMovesTrafficAndNoReadyEndpointRefuses() throws {
        let flags = temporaryDirectory()
        let server = "require('http').createServer((q, s) => { const fs = require('fs'); " +
            "if (q.url === '/ready') { s.statusCode = fs.existsSync('/flags/' + process.env.POD_NAME) ? 503 : 200; return s.end() } " +
            "s.end(JSON.stringify({ pod: process.env.POD_NAME })) }).listen(3000, process.env.POD_IP)"
        // The script as a YAML (JSON) string.
        let command = String(decoding: try JSONSerialization.data(withJSONObject: ["node", "-e", server], options: [.withoutEscapingSlashes]), as: UTF8.self)
        let applied = try kubectl("apply", "-f", "-", stdin: """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: flip}
            spec:
              replicas: 3
              selector: {matchLabels: {app: flip}}
              template:
                metadata: {labels: {app: flip}}
                spec:
                  terminationGracePeriodSeconds: 1
                  volumes: [{name: flags, hostPath: {path: \(flags)}}]
                  containers:
                  - name: main
                    image: node:20
                    command: \(command)
                    env: [{name: POD_NAME, valueFrom: {fieldRef: {fieldPath: metadata.name}}}]
                    volumeMounts: [{name: flags, mountPath: /flags}]
                    readinessProbe: {httpGet: {path: /ready, port: 3000}, periodSeconds: 1, failureThreshold: 1}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: flip}
            spec:
              selector: {app: flip}
              ports: [{port: 80, targetPort: 3000}]
            """)
        #expect(applied.code == 0, "\(applied.err)")
        let rollout = try kubectl("rollout", "status", "deployment/flip", "--timeout=120s")
        #expect(rollout.code == 0, "\(rollout.err)")
        let pods = try ok("get", "pods", "-l", "app=flip", "-o", "jsonpath={.items[*].metadata.name}").split(separator: " ").map(String.init)
        #expect(pods.count == 3)
        let clusterIP = try ok("get", "svc", "flip", "-o", "jsonpath={.spec.clusterIP}")
        func flag(_ pod: String, _ on: Bool) {
            if on { FileManager.default.createFile(atPath: flags + "/" + pod, contents: nil) } else { try? FileManager.default.removeItem(atPath: flags + "/" + pod) }
        }

        var seen = Set<String>()
        try eventually("the ClusterIP to reach every pod", seconds: 30) {
            if let pod = try curl("http://\(clusterIP)/").pod { seen.insert(pod) }
            return seen == Set(pods)
        }
        // One pod turns unready: the controller marks it so and no new connection reaches it.
        flag(pods[0], true)
        try eventually("traffic to leave \(pods[0])", seconds: 30) {
            try (0..<6).allSatisfy { _ in let p = try curl("http://\(clusterIP)/").pod; return p != nil && p != pods[0] }
        }
        #expect(try ok("get", "endpoints", "flip", "-o", "jsonpath={.subsets[0].notReadyAddresses[*].targetRef.name}") == pods[0])
        // No ready endpoint: refused with a reset, as kube-proxy's REJECT rule.
        for pod in pods { flag(pod, true) }
        try eventually("the ClusterIP to refuse", seconds: 30) {
            let r = try curl("http://\(clusterIP)/")
            return r.pod == nil && r.code != 0 && r.err.contains("reset")
        }
        // Ready again: back in.
        for pod in pods { flag(pod, false) }
        seen = []
        try eventually("every pod back", seconds: 30) {
            if let pod = try curl("http://\(clusterIP)/").pod { seen.insert(pod) }
            return seen == Set(pods)
        }
    }
}
