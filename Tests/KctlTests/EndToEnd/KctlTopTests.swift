import Foundation
import KplaneTestSupport
import Testing

/// `kubectl top` and `kctl top` against `kplane up` with simulated nodes, whose pods use what
/// their Deployment's `kplane.dev/simulated-usage` says.
@Suite(.serialized, .offPool) struct KctlTopTests {
    typealias Kctl = KctlRunner

    static let manifest = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          annotations:
            kplane.dev/simulated-usage: "cpu=600m shared, memory=100Mi"
        spec:
          replicas: 3
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers:
              - {name: app, image: nginx, resources: {requests: {cpu: 400m, memory: 64Mi}}}
              - {name: log, image: busybox, command: [sleep, "3600"], resources: {requests: {cpu: 100m, memory: 64Mi}}}
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: other}
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: solo
          namespace: other
          annotations: {kplane.dev/simulated-usage: "cpu=50m, memory=20Mi"}
        spec:
          containers:
          - {name: main, image: busybox, command: [sleep, "3600"]}
        """

    @Test func topPrintsWhatKubectlPrintsFromTheSimulatedUsage() throws {
        let server = try ServerProcess(role: "up", extraArgs: ["--nodes", "2"])
        let kctl = Kctl(server: server)
        let kubectl = Kubectl(binary: Kubectl.v132, server: server)
        #expect(try kubectl("apply", "-f", "-", stdin: Self.manifest).code == 0)
        try waitUntil("four pods running", seconds: 30) {
            try kubectl("get", "pods", "-A", "--field-selector=status.phase=Running", "-o", "name").out.split(separator: "\n").count == 4
        }

        // Each web pod: 200m (600m over three), split 4:1 by the containers' requests.
        let pods = try kubectl("top", "pods", "--containers")
        #expect(pods.code == 0, "\(pods.err)")
        let lines = pods.out.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        #expect(lines.first == ["POD", "NAME", "CPU(cores)", "MEMORY(bytes)"])
        let cells: [String] = lines.dropFirst().map { $0.dropFirst().joined(separator: " ") }.sorted()
        let want: [String] = ["app 160m 50Mi", "app 160m 50Mi", "app 160m 50Mi", "log 40m 50Mi", "log 40m 50Mi", "log 40m 50Mi"]
        #expect(cells == want)
        let nodes = try kubectl("top", "nodes")
        #expect(nodes.out.hasPrefix("NAME            CPU(cores)   CPU(%)   MEMORY(bytes)   MEMORY(%)   \n"))
        let rows: [[Substring]] = nodes.out.split(separator: "\n").dropFirst().map { $0.split(separator: " ") }
        let total: Int = rows.compactMap { $0.count > 1 ? Int($0[1].dropLast()) : nil }.reduce(0, +)
        #expect(total == 650, "600m of web and 50m of solo:\n\(nodes.out)")

        for k in Kubectl.all(server) {
            for args in [["top", "pods"], ["top", "pod", "-A"], ["top", "pods", "--containers"], ["top", "pods", "-l", "app=web", "--no-headers"],
                         ["top", "pods", "-A", "--sort-by", "memory"], ["top", "pods", "-n", "other", "--sum"], ["top", "nodes"],
                         ["top", "node", "kplane-node-1"], ["top", "nodes", "--sort-by", "cpu", "--show-capacity"],
                         ["top", "pod", "nope"], ["top", "node", "nope"], ["top", "pods", "-n", "empty"], ["top", "pods", "--sort-by", "disk"]] {
                let ours = try kctl.run(args)
                let theirs = try k.run(args)
                #expect(ours.out == theirs.out, "kctl \(args.joined(separator: " ")) (\(k.binary))")
                #expect(ours.err == theirs.err, "kctl \(args.joined(separator: " ")) (\(k.binary))")
                #expect(ours.code == theirs.code, "kctl \(args.joined(separator: " ")) (\(k.binary))")
            }
        }
        #expect(try kubectl("top", "pod", "nope").err == "Error from server (NotFound): podmetrics.metrics.k8s.io \"default/nope\" not found\n")

        // A new rule on the Deployment applies at the next read, and rolls nothing out.
        #expect(try kubectl("annotate", "deploy", "web", "--overwrite", "kplane.dev/simulated-usage=cpu=90%").code == 0)
        let busy = try kubectl("top", "pods", "-l", "app=web", "--no-headers").out.split(separator: "\n")
        #expect(busy.count == 3 && busy.allSatisfy { $0.split(separator: " ")[1] == "450m" }, "\(busy)")
        #expect(try kubectl("get", "rs", "-o", "name").out.split(separator: "\n").count == 1)

        let refused = try kubectl("annotate", "deploy", "web", "--overwrite", "kplane.dev/simulated-usage=cpu=lots")
        #expect(refused.code == 1)
        #expect(refused.err.contains("metadata.annotations[kplane.dev/simulated-usage]: Invalid value: \"cpu=lots\""), "\(refused.err)")
        server.stop()
    }
}
