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
        #expect(try kubectl("top", "pod", "nope").err == "Error from server (NotFound): pods \"nope\" not found\n")

        // kctl's describe node --show-usage adds what the node uses to what kubectl prints.
        let topNode = try kubectl("top", "node", "kplane-node-2", "--no-headers").out.split(separator: " ").map(String.init)
        let ours = try kctl("describe", "node", "kplane-node-2", "--show-usage").out
        let usage = ours.components(separatedBy: "Resource usage:").last ?? ""
        #expect(usage.range(of: "\n  cpu +\(topNode[1]) \\(\(topNode[2])\\) +4\n", options: .regularExpression) != nil, "\(usage)")
        let withoutUsage = ours.replacingOccurrences(of: #"Resource usage:[^\n]*\n(  [^\n]*\n)*"#, with: "", options: .regularExpression)
        #expect(maskAges(withoutUsage) == maskAges(try kubectl("describe", "node", "kplane-node-2").out))
        #expect(maskAges(try kctl("describe", "node", "kplane-node-2").out) == maskAges(try kubectl("describe", "node", "kplane-node-2").out))

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

    /// `kubectl autoscale` on simulated pods whose Deployment uses a fixed 900m in all: the HPA
    /// raises the minimum at once, then climbs as fast as the legacy limit lets it, to the
    /// maximum; `get hpa`, `describe hpa` and the autoscaling/v1 view show what it saw.
    @Test func kubectlAutoscaleScalesSimulatedPodsAndShowsWhy() throws {
        let server = try ServerProcess(role: "up", extraArgs: ["--nodes", "3", "--horizontal-pod-autoscaler-sync-period=1s",
                                                               "--horizontal-pod-autoscaler-cpu-initialization-period=0s"])
        let kctl = Kctl(server: server)
        let kubectl = Kubectl(binary: Kubectl.v132, server: server)
        #expect(try kubectl("create", "deployment", "web", "--image=nginx").code == 0)
        #expect(try kubectl("set", "resources", "deployment/web", "--requests=cpu=200m").code == 0)
        #expect(try kubectl("annotate", "deployment/web", "kplane.dev/simulated-usage=cpu=900m shared").code == 0)
        let made = try kubectl("autoscale", "deployment/web", "--cpu-percent=70", "--min=2", "--max=6")
        #expect(made.out == "horizontalpodautoscaler.autoscaling/web autoscaled\n", "\(made.err)")
        // 900m over n pods of 200m: 2 → 4 (the legacy limit) → 6 (the maximum); at 6, 75% is
        // within the tolerance of 70%.
        try waitUntil("six replicas at 75%", seconds: 120, interval: 0.5) {
            try kubectl("get", "hpa", "web", "--no-headers").out.split(separator: " ").filter { !$0.isEmpty }.prefix(7).joined(separator: " ")
                == "web Deployment/web cpu: 75%/70% 2 6 6"
        }
        let described = try kubectl("describe", "hpa", "web").out
        for line in ["TooManyReplicas", "the desired replica count is more than the maximum replica count",
                     "New size: 2; reason: Current number of replicas below Spec.MinReplicas",
                     "New size: 4; reason: cpu resource utilization (percentage of request) above target",
                     "resource cpu on pods  (as a percentage of request):  75% (150m) / 70%"] {
            #expect(described.contains(line), "\(line)\n\(described)")
        }
        #expect(try kubectl("get", "horizontalpodautoscalers.v1.autoscaling", "web", "-o", "jsonpath={.status.currentCPUUtilizationPercentage}").out == "75")
        #expect(maskAges(try kctl("get", "hpa").out) == maskAges(try kubectl("get", "hpa").out))
        // Event ages move between the two runs; everything else must match.
        #expect(maskAges(try kctl("describe", "hpa", "web").out) == maskAges(try kubectl("describe", "hpa", "web").out))

        // The load goes: after the (default) 5-minute window it would scale down; the status says so now.
        #expect(try kubectl("annotate", "--overwrite", "deployment/web", "kplane.dev/simulated-usage=cpu=60m shared").code == 0)
        try waitUntil("the low usage seen", seconds: 60, interval: 0.5) {
            try kubectl("get", "hpa", "web", "-o", "jsonpath={.status.conditions[?(@.type==\"AbleToScale\")].reason}").out == "ScaleDownStabilized"
        }
        #expect(try kubectl("get", "deploy", "web", "-o", "jsonpath={.spec.replicas}").out == "6")
        server.stop()
    }
}
