import Foundation
import KplaneTestSupport
import Testing

/// Real kubectl (and kctl) against `kplane up` on a fleet of three zones and a tainted GPU
/// node: Pending with the scheduler's words, a node joining, nodeSelector, taints, cordon and
/// drain.
@Suite(.serialized, .offPool) struct SchedulingE2ETests {
    var fleets: String { Kubectl.manifestsFolder + "/fleets" }

    func lines(_ s: String) -> [String] { s.split(separator: "\n").map(String.init) }

    /// Waits up to 60 s for `condition` (the whole suite shares two cores).
    func eventually(_ what: String, _ condition: () throws -> Bool) throws {
        for _ in 0..<600 {
            if try condition() { return }
            Thread.sleep(forTimeInterval: 0.1)
        }
        Issue.record("timed out waiting for \(what)")
    }

    func deployment(_ name: String, replicas: Int, spec: String = "") -> String {
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: \(name)}
        spec:
          replicas: \(replicas)
          selector: {matchLabels: {app: \(name)}}
          template:
            metadata: {labels: {app: \(name)}}
            spec:
        \(spec.isEmpty ? "" : spec + "\n")      containers: [{name: c, image: nginx, resources: {requests: {cpu: 100m}}}]
        """
    }

    @Test func pendingThenANodeJoinsSelectorsAndTaints() throws {
        let server = try ServerProcess(role: "up", extraArgs: ["--fleet", fleets + "/three-zones.yaml"])
        let k = Kubectl(binary: Kubectl.v132, server: server)
        #expect(lines(try k("get", "nodes", "--no-headers").out).count == 5)
        try k("run", "huge", "--image=nginx", "--overrides={\"spec\":{\"containers\":[{\"name\":\"huge\",\"image\":\"nginx\",\"resources\":{\"requests\":{\"cpu\":\"32\"}}}]}}")
        let message = "0/5 nodes are available: 1 node(s) had untolerated taint {nvidia.com/gpu: true}, 4 Insufficient cpu. preemption: 0/5 nodes are available: 1 Preemption is not helpful for scheduling, 4 No preemption victims found for incoming pod."
        try eventually("the FailedScheduling condition") {
            try k("get", "pod", "huge", "-o", "jsonpath={.status.conditions[?(@.type==\"PodScheduled\")].message}").out == message
        }
        #expect(try k("get", "pod", "huge", "-o", "jsonpath={.status.phase}").out == "Pending")
        #expect(try k("describe", "pod", "huge").out.contains("Warning  FailedScheduling  "))
        // A big node joins; the pod goes there.
        #expect(try k("apply", "-f", fleets + "/big-node.yaml").out == "node/big-node created\n")
        try eventually("huge on big-node") { try k("get", "pod", "huge", "-o", "jsonpath={.spec.nodeName}").out == "big-node" }
        try eventually("huge running") { try k("get", "pod", "huge", "-o", "jsonpath={.status.phase}").out == "Running" }

        // nodeSelector pins pods to a zone.
        let pinned = deployment("pinned", replicas: 4, spec: "      nodeSelector: {topology.kubernetes.io/zone: zone-b}")
        #expect(try k("apply", "-f", "-", stdin: pinned).code == 0)
        #expect(try k("rollout", "status", "deployment/pinned", "--timeout=30s").code == 0)
        let pinnedNodes = Set(lines(try k("get", "pods", "-l", "app=pinned", "-o", "jsonpath={range .items[*]}{.spec.nodeName}{\"\\n\"}{end}").out))
        #expect(pinnedNodes.isSubset(of: ["zone-b-1", "zone-b-2"]) && !pinnedNodes.isEmpty)

        // A taint keeps pods off unless tolerated; kctl and kubectl taint alike.
        #expect(try k("taint", "node", "zone-a-1", "dedicated=infra:NoSchedule").out == "node/zone-a-1 tainted\n")
        let kctl = KctlRunner(server: server)
        #expect(try kctl("taint", "node", "zone-a-2", "dedicated=infra:NoSchedule").out == "node/zone-a-2 tainted\n")
        let zoneA = deployment("zone-a", replicas: 2, spec: "      nodeSelector: {topology.kubernetes.io/zone: zone-a}")
        #expect(try k("apply", "-f", "-", stdin: zoneA).code == 0)
        try eventually("zone-a pods to say why they wait") {
            lines(try k("get", "pods", "-l", "app=zone-a", "-o", "jsonpath={range .items[*]}{.status.conditions[0].reason}{\"\\n\"}{end}").out) == ["Unschedulable", "Unschedulable"]
        }
        let tolerant = deployment("tolerant", replicas: 2, spec: """
                  nodeSelector: {topology.kubernetes.io/zone: zone-a}
                  tolerations: [{key: dedicated, operator: Equal, value: infra, effect: NoSchedule}]
            """)
        #expect(try k("apply", "-f", "-", stdin: tolerant).code == 0)
        #expect(try k("rollout", "status", "deployment/tolerant", "--timeout=30s").code == 0)
        #expect(try kctl("taint", "node", "zone-a-1", "dedicated:NoSchedule-").out == "node/zone-a-1 untainted\n")
        #expect(try k("rollout", "status", "deployment/zone-a", "--timeout=30s").code == 0)
    }

    @Test func describeOfNodesAndRunningPodsMatchesKubectl() throws {
        let server = try ServerProcess(role: "up", extraArgs: ["--fleet", fleets + "/three-zones.yaml"])
        let k = Kubectl(binary: Kubectl.v132, server: server)
        let kctl = KctlRunner(server: server)
        #expect(try k("apply", "-f", k.manifests).code == 0)
        #expect(try k("wait", "--for=condition=Available", "deployment/myapp", "--timeout=60s").code == 0)
        try k("cordon", "zone-b-2")
        try k("apply", "-f", fleets + "/big-node.yaml")
        try eventually("big-node Ready") { try k("get", "node", "big-node", "--no-headers").out.contains(" Ready ") }
        for target in ["node/zone-a-1", "node/zone-b-2", "node/gpu-1", "node/big-node", "pods"] {
            // A node's lease renews every 10 s, so its RenewTime may move between the two calls:
            // compare again (up to three times) before calling a difference a difference.
            var (ours, theirs) = ("", "")
            for _ in 0..<3 {
                theirs = maskAges(try k("describe", target).out)
                ours = maskAges(try kctl("describe", target).out)
                if ours == theirs { break }
            }
            #expect(ours == theirs, "describe \(target)")
        }
        for args in [["get", "nodes", "-o", "wide"], ["get", "pods", "-o", "wide"]] {
            #expect(maskAges(try kctl.run(args).out) == maskAges(try k.run(args).out), "\(args)")
        }
    }

    @Test func cordonAndDrainKeepTheDeploymentAvailable() throws {
        let server = try ServerProcess(role: "up", extraArgs: ["--fleet", fleets + "/three-zones.yaml"])
        let k = Kubectl(binary: Kubectl.v132, server: server)
        let kctl = KctlRunner(server: server)
        #expect(try k("apply", "-f", "-", stdin: deployment("web", replicas: 8)).code == 0)
        #expect(try k("rollout", "status", "deployment/web", "--timeout=30s").code == 0)
        func podsOn(_ node: String) throws -> [String] {
            lines(try k("get", "pods", "--field-selector", "spec.nodeName=\(node)", "-o", "name").out)
        }
        // The default spreading put the replicas on every untainted node.
        for n in ["zone-a-1", "zone-a-2", "zone-b-1", "zone-b-2"] { #expect(try !podsOn(n).isEmpty, "\(n) has no pod") }
        #expect(try podsOn("gpu-1").isEmpty)

        #expect(try kctl("cordon", "zone-a-1").out == "node/zone-a-1 cordoned\n")
        #expect(try k("get", "node", "zone-a-1", "--no-headers").out.contains("Ready,SchedulingDisabled"))
        #expect(try k("uncordon", "zone-a-1").out == "node/zone-a-1 uncordoned\n")
        #expect(try kctl("uncordon", "zone-a-1").out == "node/zone-a-1 already uncordoned\n")

        // kubectl drains one node, kctl another; both end with the Deployment available again.
        let victims = try podsOn("zone-a-1")
        let drained = try k("drain", "zone-a-1", "--ignore-daemonsets")
        #expect(drained.code == 0, "\(drained.err)")
        #expect(drained.out.hasPrefix("node/zone-a-1 cordoned\n") && drained.out.hasSuffix("node/zone-a-1 drained\n"))
        for v in victims { #expect(drained.out.contains("\(v) evicted")) }
        try eventually("zone-a-1 to be empty") { try podsOn("zone-a-1").isEmpty }
        let ours = try kctl("drain", "zone-b-1", "--ignore-daemonsets")
        #expect(ours.code == 0, "\(ours.err)")
        #expect(ours.out.hasPrefix("node/zone-b-1 cordoned\nevicting pod default/web-") && ours.out.hasSuffix("node/zone-b-1 drained\n"))
        try eventually("zone-b-1 to be empty") { try podsOn("zone-b-1").isEmpty }
        #expect(try k("rollout", "status", "deployment/web", "--timeout=30s").code == 0)
        #expect(try k("get", "deploy", "web", "-o", "jsonpath={.status.availableReplicas} {.status.conditions[?(@.type==\"Available\")].status}").out == "8 True")

        // A pod without a controller is refused without --force, in kubectl's words.
        try k("run", "solo", "--image=nginx", "--overrides={\"spec\":{\"nodeName\":\"zone-b-2\"}}")
        let refused = try kctl("drain", "zone-b-2")
        let theirs = try k("drain", "zone-b-2")
        #expect(refused.code == 1 && theirs.code == 1)
        #expect(refused.err == theirs.err.replacingOccurrences(of: "node/zone-b-2 already cordoned\n", with: ""))
    }
}
