import KubeModel
import Testing
@testable import Scheduler

/// Each filter plugin, and the FailedScheduling wording that kube-scheduler 1.32 gives for it.
@Suite struct FilterPluginTests {
    @Test func insufficientResourcesAreCountedPerReason() {
        let cache = Fixture.cluster([Fixture.node("a", cpu: "1"), Fixture.node("b", cpu: "1", memory: "1Gi"), Fixture.node("c", cpu: "8")],
                                    pods: [Fixture.pod("big", cpu: "7", node: "c")])
        let outcome = Fixture.schedule(Fixture.pod("p", cpu: "2", memory: "2Gi"), cache)
        #expect(Fixture.message(outcome) == "0/3 nodes are available: 1 Insufficient memory, 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.")
    }

    /// Amounts anyone may write (`cpu: 1e20`, a Node of `1e30` bytes) saturate instead of
    /// trapping: the scheduler keeps running and says the pod does not fit.
    @Test func hugeRequestsAndAllocatablesSaturateInsteadOfTrapping() {
        let plain = Fixture.cluster([Fixture.node("b")], pods: [Fixture.pod("big", cpu: "9223372036854775807", memory: "1e30", node: "b")])
        #expect(Fixture.message(Fixture.schedule(Fixture.pod("p", cpu: "1e20", memory: "1e30"), plain)) == "0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.")
        // A node of (saturated) unbounded size takes both, and scoring it does not overflow.
        let huge = Fixture.cluster([Fixture.node("a", cpu: "1e20", memory: "1e30"), Fixture.node("b")],
                                   pods: [Fixture.pod("big", cpu: "9223372036854775807", memory: "1e30", node: "b")])
        #expect(Fixture.node(of: Fixture.schedule(Fixture.pod("p", cpu: "1e20", memory: "1e30"), huge)) == "a")
        #expect(Fixture.node(of: Fixture.schedule(Fixture.pod("small", cpu: "1"), huge)) == "a")
        #expect(Quantity("1e30")?.milliValue == .max)
        #expect(ResourceList(["cpu": "1e20", "memory": "-1e30"]) == ResourceList(milliCPU: .max, memory: .min))
    }

    @Test func untoleratedTaintsAndResourcesTogether() {
        let taint = Taint(key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule")
        let cache = Fixture.cluster([Fixture.node("cp", taints: [taint]), Fixture.node("w1", cpu: "1"), Fixture.node("w2", cpu: "1")])
        let pod = Fixture.pod("p", cpu: "2")
        #expect(Fixture.message(Fixture.schedule(pod, cache)) == "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.")
        let tolerating = Fixture.pod("t", cpu: "2", spec: ["tolerations": [["key": "node-role.kubernetes.io/control-plane", "operator": "Exists", "effect": "NoSchedule"]]])
        #expect(Fixture.node(of: Fixture.schedule(tolerating, cache)) == "cp")
    }

    @Test(arguments: [
        (Toleration(key: "k", op: "Equal", value: "v", effect: "NoSchedule"), true),
        (Toleration(key: "k", op: "Equal", value: "w", effect: "NoSchedule"), false),
        (Toleration(key: "k", op: "Exists"), true),
        (Toleration(key: "", op: "Exists"), true),
        (Toleration(key: "k", op: "Exists", effect: "NoExecute"), false),
        (Toleration(key: "other", op: "Exists"), false),
    ])
    func tolerationMatching(toleration: Toleration, tolerated: Bool) {
        #expect(toleration.tolerates(Taint(key: "k", value: "v", effect: "NoSchedule")) == tolerated)
    }

    @Test func noExecuteTaintsFilterAndPreferNoScheduleOnlyScores() {
        let cache = Fixture.cluster([Fixture.node("gone", taints: [Taint(key: Taint.unreachable, effect: "NoExecute")]),
                                     Fixture.node("meh", taints: [Taint(key: "slow", value: "yes", effect: "PreferNoSchedule")]),
                                     Fixture.node("fine")])
        #expect(Fixture.place([Fixture.pod("p")], cache) == ["fine"])
        let only = Fixture.cluster([Fixture.node("meh", taints: [Taint(key: "slow", value: "yes", effect: "PreferNoSchedule")])])
        #expect(Fixture.place([Fixture.pod("p")], only) == ["meh"])
    }

    @Test func cordonedNodesTakeNoPodsUnlessTolerated() {
        let cache = Fixture.cluster([Fixture.node("a", unschedulable: true), Fixture.node("b", unschedulable: true)])
        #expect(Fixture.message(Fixture.schedule(Fixture.pod("p"), cache)) == "0/2 nodes are available: 2 node(s) were unschedulable. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.")
        let ds = Fixture.pod("ds", spec: ["tolerations": [["key": "node.kubernetes.io/unschedulable", "operator": "Exists", "effect": "NoSchedule"]]])
        #expect(Fixture.node(of: Fixture.schedule(ds, cache)) != nil)
    }

    @Test func nodeSelectorAndRequiredAffinityWithEveryOperator() {
        let cache = Fixture.cluster([Fixture.node("ssd", labels: ["disk": "ssd", "gen": "5"]), Fixture.node("hdd", labels: ["disk": "hdd", "gen": "3"]),
                                     Fixture.node("bare")])
        #expect(Fixture.place([Fixture.pod("s", spec: ["nodeSelector": ["disk": "ssd"]])], cache) == ["ssd"])
        func affinity(_ op: String, _ key: String, _ values: [String]) -> [String: JSONValue] {
            ["affinity": ["nodeAffinity": ["requiredDuringSchedulingIgnoredDuringExecution": ["nodeSelectorTerms": [
                ["matchExpressions": [["key": .string(key), "operator": .string(op), "values": .array(values.map { .string($0) })]]]]]]]]
        }
        func feasible(_ spec: [String: JSONValue]) -> Set<String> {
            let pod = PodInfo(Fixture.pod("x", spec: spec))
            return Set(cache.state.withLock { s in s.nodes.values.filter { NodeAffinity().filter(pod, $0, CycleState()) == nil }.map(\.name) })
        }
        #expect(feasible(affinity("In", "disk", ["ssd", "nvme"])) == ["ssd"])
        #expect(feasible(affinity("NotIn", "disk", ["ssd"])) == ["hdd", "bare"])
        #expect(feasible(affinity("Exists", "disk", [])) == ["ssd", "hdd"])
        #expect(feasible(affinity("DoesNotExist", "disk", [])) == ["bare"])
        #expect(feasible(affinity("Gt", "gen", ["4"])) == ["ssd"])
        #expect(feasible(affinity("Lt", "gen", ["4"])) == ["hdd"])
        let byName: [String: JSONValue] = ["affinity": ["nodeAffinity": ["requiredDuringSchedulingIgnoredDuringExecution": ["nodeSelectorTerms": [
            ["matchFields": [["key": "metadata.name", "operator": "In", "values": ["bare"]]]], ["matchExpressions": [["key": "disk", "operator": "In", "values": ["hdd"]]]]]]]]]
        #expect(feasible(byName) == ["bare", "hdd"])
        #expect(Fixture.message(Fixture.schedule(Fixture.pod("n", spec: ["nodeSelector": ["disk": "tape"]]), cache)) == "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.")
    }

    @Test func podCountAndHostPorts() {
        let cache = Fixture.cluster([Fixture.node("tiny", pods: 1)], pods: [Fixture.pod("a", node: "tiny")])
        #expect(Fixture.message(Fixture.schedule(Fixture.pod("b"), cache)) == "0/1 nodes are available: 1 Too many pods. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.")
        func withPort(_ name: String, node: String? = nil) -> JSONValue {
            var p = Fixture.pod(name, node: node)
            p.set(["spec", "containers"], [["name": "c", "image": "nginx", "ports": [["containerPort": 80, "hostPort": 8080, "protocol": "TCP"]]]])
            return p
        }
        let ports = Fixture.cluster([Fixture.node("a"), Fixture.node("b")], pods: [withPort("web-1", node: "a")])
        #expect(Fixture.place([withPort("web-2")], ports) == ["b"])
        #expect(Fixture.message(Fixture.schedule(withPort("web-3"), ports)) == "0/2 nodes are available: 2 node(s) didn't have free ports for the requested pod ports. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.")
    }

    @Test func requiredAntiAffinityOnHostnameKeepsReplicasApart() {
        let cache = Fixture.cluster([Fixture.node("a"), Fixture.node("b"), Fixture.node("c")])
        let anti: [String: JSONValue] = ["affinity": ["podAntiAffinity": ["requiredDuringSchedulingIgnoredDuringExecution": [
            ["labelSelector": ["matchLabels": ["app": "db"]], "topologyKey": "kubernetes.io/hostname"]]]]]
        let replicas = (1...3).map { Fixture.pod("db-\($0)", labels: ["app": "db"], spec: anti) }
        #expect(Set(Fixture.place(replicas, cache)) == ["a", "b", "c"])
        #expect(Fixture.message(Fixture.schedule(Fixture.pod("db-4", labels: ["app": "db"], spec: anti), cache)) == "0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.")
        // A pod without the rule is still kept off by the placed pods' rules if it matches them.
        #expect(Fixture.message(Fixture.schedule(Fixture.pod("intruder", labels: ["app": "db"]), cache)) == "0/3 nodes are available: 3 node(s) didn't satisfy existing pods anti-affinity rules. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.")
        #expect(Fixture.node(of: Fixture.schedule(Fixture.pod("web", labels: ["app": "web"]), cache)) != nil)
    }

    @Test func requiredAffinityFollowsTheMatchingPodsDomain() {
        let cache = Fixture.cluster([Fixture.node("a", labels: ["zone": "z1"]), Fixture.node("b", labels: ["zone": "z2"]), Fixture.node("c", labels: ["zone": "z2"])],
                                    pods: [Fixture.pod("cache", labels: ["app": "cache"], node: "b")])
        let near: [String: JSONValue] = ["affinity": ["podAffinity": ["requiredDuringSchedulingIgnoredDuringExecution": [
            ["labelSelector": ["matchLabels": ["app": "cache"]], "topologyKey": "zone"]]]]]
        let placed = Fixture.place((1...4).map { Fixture.pod("web-\($0)", spec: near) }, cache)
        #expect(placed.allSatisfy { $0 == "b" || $0 == "c" })
        // The first pod of a self-affine group may go anywhere.
        let selfAffine: [String: JSONValue] = ["affinity": ["podAffinity": ["requiredDuringSchedulingIgnoredDuringExecution": [
            ["labelSelector": ["matchLabels": ["app": "solo"]], "topologyKey": "zone"]]]]]
        #expect(Fixture.node(of: Fixture.schedule(Fixture.pod("solo-1", labels: ["app": "solo"], spec: selfAffine), cache)) != nil)
        #expect(Fixture.message(Fixture.schedule(Fixture.pod("other", spec: selfAffine), cache)) == "0/3 nodes are available: 3 node(s) didn't match pod affinity rules. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.")
    }

    @Test func topologySpreadKeepsSkewWithinMaxSkew() {
        let cache = Fixture.cluster([Fixture.node("a", labels: ["zone": "z1"]), Fixture.node("b", labels: ["zone": "z2"]), Fixture.node("c", labels: ["zone": "z3"]),
                                     Fixture.node("nolabel")])
        let spread: [String: JSONValue] = ["topologySpreadConstraints": [["maxSkew": 1, "topologyKey": "zone", "whenUnsatisfiable": "DoNotSchedule",
                                                                          "labelSelector": ["matchLabels": ["app": "web"]]]]]
        let pods = (1...6).map { Fixture.pod("web-\($0)", labels: ["app": "web"], spec: spread) }
        let placed = Fixture.place(pods, cache)
        #expect(!placed.contains("nolabel"))
        for zone in ["a", "b", "c"] { #expect(placed.filter { $0 == zone }.count == 2, "\(placed)") }
        // With one zone full up, the others cannot go more than one ahead.
        let skewed = Fixture.cluster([Fixture.node("a", cpu: "1", labels: ["zone": "z1"]), Fixture.node("b", labels: ["zone": "z2"])],
                                     pods: [Fixture.pod("big", cpu: "1", node: "a")])
        let cpuPods = (1...2).map { Fixture.pod("w\($0)", cpu: "100m", labels: ["app": "web"], spec: spread) }
        #expect(Fixture.place([cpuPods[0]], skewed) == ["b"])
        #expect(Fixture.message(Fixture.schedule(cpuPods[1], skewed)) == "0/2 nodes are available: 1 Insufficient cpu, 1 node(s) didn't match pod topology spread constraints. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.")
    }

    @Test func noNodesAtAll() {
        #expect(Fixture.message(Fixture.schedule(Fixture.pod("p"), SchedulerCache())) == "no nodes available to schedule pods")
    }

    @Test func preemptionPolicyNeverIsSaid() {
        let cache = Fixture.cluster([Fixture.node("a", cpu: "1")])
        let pod = Fixture.pod("p", cpu: "2", spec: ["preemptionPolicy": "Never"])
        #expect(Fixture.message(Fixture.schedule(pod, cache)) == "0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.")
    }
}
