import Foundation
import KplaneTestSupport
import Testing

/// The seed's Deployment and Service under `kplane up --process-nodes 1`, reached with curl
/// through the Service proxy, with real kubectl.
///
/// The EndpointSlices are written by the test as the EndpointSlice controller would write them
/// (ready and not-ready pods), so the proxy's side is tested on its own; once the controller
/// runs in `kplane up`, it writes the same slices for the selector Services.
@Suite(.timeLimit(.minutes(6)), .serialized)
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

    /// An EndpointSlice for `service` listing the pods by IP (port 3000, the seed app's).
    func writeSlice(_ service: String, ready: [(pod: String, ip: String)], notReady: [(pod: String, ip: String)] = []) throws {
        func endpoint(_ p: (pod: String, ip: String), _ isReady: Bool) -> String {
            "{addresses: [\"\(p.ip)\"], conditions: {ready: \(isReady), serving: \(isReady), terminating: false}, targetRef: {kind: Pod, namespace: default, name: \(p.pod)}}"
        }
        let endpoints = ready.map { endpoint($0, true) } + notReady.map { endpoint($0, false) }
        let yaml = """
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata: {name: \(service)-test, labels: {kubernetes.io/service-name: \(service)}}
            addressType: IPv4
            ports: [{name: "", port: 3000, protocol: TCP}]
            endpoints: [\(endpoints.joined(separator: ", "))]
            """
        let r = try kubectl("apply", "-f", "-", stdin: yaml)
        #expect(r.code == 0, "\(r.err)")
    }

    /// `curl -s URL`, the pod named in the seed app's answer, or curl's failure.
    func curl(_ url: String) throws -> (pod: String?, code: Int32, err: String) {
        let r = try ServerProcess.run("/usr/bin/env", ["curl", "-sS", "-m", "5", url])
        let body = try? JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any]
        return (body?["pod"] as? String, r.code, r.err)
    }

    func eventually(_ what: String, seconds: Double = 10, _ condition: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return }
            usleep(100_000)
        }
        Issue.record("timed out waiting for \(what)")
        throw CancellationError()
    }

    @Test func theSeedsServiceAnswersOnItsClusterIPNodePortAndLoadBalancer() throws {
        let m = kubectl.manifests
        _ = try ok("apply", "-f", m + "/config.yaml", "-f", m + "/deployment.yaml", "-f", m + "/service-ingress.yaml")
        let rollout = try kubectl("rollout", "status", "deployment/myapp", "--timeout=150s")
        #expect(rollout.code == 0, "\(rollout.err)")
        let lines = try ok("get", "pods", "-l", "app=myapp", "-o", "jsonpath={range .items[*]}{.metadata.name} {.status.podIP}{\"\\n\"}{end}")
        let pods = lines.split(separator: "\n").map { l in let f = l.split(separator: " "); return (pod: String(f[0]), ip: String(f[1])) }
        #expect(pods.count == 3)
        try writeSlice("myapp", ready: pods)

        // ClusterIP:80 reaches the app, round-robin over the three pods.
        let clusterIP = try ok("get", "svc", "myapp", "-o", "jsonpath={.spec.clusterIP}")
        try eventually("the ClusterIP to answer") { try curl("http://\(clusterIP)/").pod != nil }
        let answered = try (0..<3).map { _ in try curl("http://\(clusterIP)/").pod }
        #expect(Set(answered.compactMap { $0 }) == Set(pods.map(\.pod)), "\(answered)")

        // One pod turns unready: no new connection reaches it.
        try writeSlice("myapp", ready: Array(pods.dropFirst()), notReady: [pods[0]])
        try eventually("traffic to leave \(pods[0].pod)") {
            try (0..<4).allSatisfy { _ in let p = try curl("http://\(clusterIP)/").pod; return p != nil && p != pods[0].pod }
        }

        // No ready endpoint: refused with a reset.
        try writeSlice("myapp", ready: [], notReady: pods)
        try eventually("the ClusterIP to refuse") {
            let r = try curl("http://\(clusterIP)/")
            return r.pod == nil && r.code != 0 && r.err.contains("reset")
        }
        try writeSlice("myapp", ready: pods)

        // NodePort: allocated from 30000-32767, answering on 127.0.0.1 and the node's address.
        _ = try ok("expose", "deployment", "myapp", "--name", "myapp-np", "--type", "NodePort", "--port", "80", "--target-port", "3000")
        let nodePort = try ok("get", "svc", "myapp-np", "-o", "jsonpath={.spec.ports[0].nodePort}")
        #expect((30000...32767).contains(Int(nodePort) ?? 0), "\(nodePort)")
        try writeSlice("myapp-np", ready: pods)
        let nodeIP = try ok("get", "node", "kplane-process-1", "-o", "jsonpath={.status.addresses[?(@.type==\"InternalIP\")].address}")
        for host in ["127.0.0.1", nodeIP] {
            try eventually("NodePort on \(host)") { try curl("http://\(host):\(nodePort)/").pod != nil }
        }

        // LoadBalancer: an address in status.loadBalancer.ingress, shown by kubectl, answering.
        _ = try ok("expose", "deployment", "myapp", "--name", "myapp-lb", "--type", "LoadBalancer", "--port", "80", "--target-port", "3000")
        try writeSlice("myapp-lb", ready: pods)
        var lb = ""
        try eventually("a LoadBalancer address") {
            lb = try ok("get", "svc", "myapp-lb", "-o", "jsonpath={.status.loadBalancer.ingress[0].ip}")
            return !lb.isEmpty
        }
        #expect(lb.hasPrefix("127.0.2."))
        #expect(try ok("get", "svc", "myapp-lb").contains(lb))
        try eventually("the LoadBalancer address to answer") { try curl("http://\(lb)/").pod != nil }
    }
}
