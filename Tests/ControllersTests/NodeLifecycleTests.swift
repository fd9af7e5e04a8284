import Foundation
import KplaneTestSupport
import KubeClient
import KubeModel
@testable import Nodes
import Testing

/// A node whose machine dies, on a test clock: NotReady once its Lease is 40 s old, its pods
/// evicted 300 s later (the default toleration), replaced elsewhere; and back again.
@Suite struct NodeLifecycleTests {
    func node(_ c: TestCluster, _ name: String) async throws -> JSONValue { try await c.client.get(.nodes, namespace: nil, name: name) }

    func power(_ c: TestCluster, _ name: String, on: Bool) async throws {
        _ = try await c.client.patch(.nodes, namespace: nil, name: name,
                                     ["metadata": ["annotations": [.init(stringLiteral: SimulatedFleet.powerAnnotation): on ? .null : "off"]]],
                                     type: "application/merge-patch+json")
    }

    @Test func aStoppedNodeGoesNotReadyThenItsPodsMoveElsewhere() async throws {
        let c = try await TestCluster(nodes: 3)
        _ = try await c.apply(TestCluster.deployment("web", replicas: 6))
        try await c.advance(until: "web available") { try await c.rolledOut("web") }
        let pods = try await c.pods()
        #expect(pods.allSatisfy { Toleration.of(pod: $0).contains { $0.key == Taint.unreachable && $0.seconds == 300 } })
        let victim = try #require(pods.first?[path: ["spec", "nodeName"]]?.stringValue)
        let onVictim = Set(pods.filter { $0[path: ["spec", "nodeName"]]?.stringValue == victim }.map(\.metaName))
        // Kubernetes counts from the last heartbeat: the Lease's renew time.
        let lease = try await c.client.get(.leases, namespace: "kube-node-lease", name: victim)
        let stopped = try #require(lease[path: ["spec", "renewTime"]]?.stringValue.flatMap(Timestamp.parse))
        try await power(c, victim, on: false)
        try await c.settle()

        try await c.advance(until: "the node to be NotReady", limit: 60) { try await node(c, victim).condition("Ready")?["status"] == "Unknown" }
        let notReadyAfter = c.clock.now().timeIntervalSince(stopped)
        #expect(notReadyAfter > 40 && notReadyAfter <= 46, "NotReady after \(notReadyAfter) s")
        let n = try await node(c, victim)
        #expect(n.condition("Ready")?["reason"] == "NodeStatusUnknown")
        #expect(Set(Taint.of(node: n).map { "\($0.key):\($0.effect)" }) == ["node.kubernetes.io/unreachable:NoSchedule", "node.kubernetes.io/unreachable:NoExecute"])
        let stale = try await c.pods().filter { onVictim.contains($0.metaName) }
        #expect(stale.allSatisfy { !PodConditions.isReady($0) && !$0.isDeleting })

        try await c.advance(until: "the evictions", limit: 320) {
            try await c.pods().filter { onVictim.contains($0.metaName) }.allSatisfy(\.isDeleting)
        }
        // 300 s after the taint, whose timeAdded (like Kubernetes') has second precision.
        let evictedAfter = c.clock.now().timeIntervalSince(stopped)
        #expect(evictedAfter >= notReadyAfter + 299 && evictedAfter <= notReadyAfter + 301, "evicted after \(evictedAfter) s")
        try await c.advance(until: "replacements running elsewhere", limit: 30) { try await c.rolledOut("web") }
        let live = try await c.pods().filter { !$0.isDeleting }
        #expect(live.count == 6 && live.allSatisfy { $0[path: ["spec", "nodeName"]]?.stringValue != victim })
        // The dead node's pods stay Terminating: no kubelet confirms they stopped.
        #expect(try await c.pods().filter { onVictim.contains($0.metaName) }.count == onVictim.count)
        let events = try await c.client.list(.events, namespace: "default")["items"]?.arrayValue ?? []
        #expect(events.contains { $0["reason"] == "TaintManagerEviction" })

        // The machine comes back: Ready, untainted, and its kubelet finishes the evicted pods.
        try await power(c, victim, on: true)
        try await c.advance(until: "the node to be Ready again", limit: 30) {
            let n = try await node(c, victim)
            return n.condition("Ready")?["status"] == "True" && Taint.of(node: n).isEmpty
        }
        try await c.advance(until: "the evicted pods to be gone", limit: 30) {
            try await c.pods().filter { onVictim.contains($0.metaName) }.isEmpty
        }
        await c.stop()
    }

    @Test func untoleratedNoExecuteTaintsEvictAtOnceAndTolerationsWithoutSecondsKeep() async throws {
        let c = try await TestCluster(nodes: 1)
        _ = try await c.apply(["apiVersion": "v1", "kind": "Pod", "metadata": ["name": "plain"], "spec": ["containers": [["name": "c", "image": "x"]]]])
        _ = try await c.apply(["apiVersion": "v1", "kind": "Pod", "metadata": ["name": "stays"],
                               "spec": ["containers": [["name": "c", "image": "x"]], "tolerations": [["key": "maintenance", "operator": "Exists", "effect": "NoExecute"]]]])
        _ = try await c.apply(["apiVersion": "v1", "kind": "Pod", "metadata": ["name": "brief"],
                               "spec": ["containers": [["name": "c", "image": "x"]],
                                        "tolerations": [["key": "maintenance", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 30]]]])
        try await c.advance(until: "pods running", limit: 10) { try await c.pods().allSatisfy { $0[path: ["status", "phase"]] == "Running" } }
        let tainted = c.clock.now()
        _ = try await c.client.patch(.nodes, namespace: nil, name: "kplane-node-1",
                                     ["spec": ["taints": [["key": "maintenance", "effect": "NoExecute", "timeAdded": .string(Timestamp.format(tainted))]]]])
        try await c.settle()
        #expect(try await c.pods().filter { !$0.isDeleting }.map(\.metaName).sorted() == ["brief", "stays"])
        try await c.advance(until: "brief to go", limit: 40) { try await c.pods().filter { !$0.isDeleting }.map(\.metaName) == ["stays"] }
        #expect(c.clock.now().timeIntervalSince(tainted) >= 29)  // timeAdded has second precision
        await c.stop()
    }
}

extension NodeLifecycleTests {
    /// An adopted node's status posted over a copy that changed meanwhile (the node controller
    /// tainting it, a label) is read again and posted, as the kubelet retries its status update.
    @Test func anAdoptedNodesStatusOverAStaleCopyIsRetried() async throws {
        let c = try await TestCluster(nodes: 1)
        _ = try await c.apply(["apiVersion": "v1", "kind": "Node",
                               "metadata": ["name": "big-node", "annotations": ["kplane.dev/node": "simulated"]]])
        try await c.until("big-node Ready") {
            try await c.client.get(.nodes, namespace: nil, name: "big-node").condition("Ready")?["status"] == "True"
        }
        let stale = try await c.client.get(.nodes, namespace: nil, name: "big-node")
        _ = try await c.client.patch(.nodes, namespace: nil, name: "big-node", ["metadata": ["labels": ["size": "big"]]])
        try await c.fleet.postStatus("big-node", stale)
        let node = try await c.client.get(.nodes, namespace: nil, name: "big-node")
        #expect(node.metaLabels["size"] == "big", "the retry keeps what changed meanwhile")
        #expect(node.condition("Ready")?["status"] == "True")
        await c.stop()
    }
}
