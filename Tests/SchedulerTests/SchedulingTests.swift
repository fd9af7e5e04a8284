import Foundation
import KplaneTestSupport
import KubeClient
import KubeModel
import Testing

/// The scheduler inside a whole cluster: a pod that fits nowhere says why, as Kubernetes words
/// it, waits without retrying in a loop, and is placed as soon as a node that fits appears.
@Suite struct SchedulingTests {
    static func pod(_ name: String, cpu: String, extra: [String: JSONValue] = [:]) -> JSONValue {
        var spec: JSONValue = ["containers": [["name": "c", "image": "x", "resources": ["requests": ["cpu": .string(cpu)]]]]]
        for (k, v) in extra { spec[k] = v }
        return ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": .string(name)], "spec": spec]
    }

    @Test func anImpossiblePodWaitsThenABigNodeTakesIt() async throws {
        let c = try await TestCluster(nodes: 3)
        _ = try await c.apply(Self.pod("huge", cpu: "16"))
        try await c.settle()
        let message = "0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod."
        let pending = try await c.client.get(.pods, namespace: "default", name: "huge")
        #expect(pending[path: ["status", "phase"]] == "Pending")
        #expect(pending.condition("PodScheduled")?["status"] == "False")
        #expect(pending.condition("PodScheduled")?["reason"] == "Unschedulable")
        #expect(pending.condition("PodScheduled")?["message"]?.stringValue == message)
        // A minute without changes: no new attempts.
        for _ in 0..<60 { c.clock.advance(by: 1); try await c.settle() }
        let events = try await c.client.list(.events, namespace: "default")["items"]?.arrayValue ?? []
        let failed = try #require(events.first { $0["reason"] == "FailedScheduling" })
        #expect(failed["type"] == "Warning" && failed["message"]?.stringValue == message && failed["count"] == 1)
        #expect(failed[path: ["source", "component"]] == "default-scheduler")

        // A big node joins (as `kubectl apply` of a Node would add one) and takes the pod.
        _ = try await c.apply(["apiVersion": "v1", "kind": "Node", "metadata": ["name": "big", "labels": ["kubernetes.io/hostname": "big"]]])
        let status: JSONValue = ["allocatable": ["cpu": "32", "memory": "64Gi", "pods": "110"], "capacity": ["cpu": "32", "memory": "64Gi", "pods": "110"],
                                 "conditions": [["type": "Ready", "status": "True", "lastHeartbeatTime": .string(Timestamp.format(c.clock.now()))]]]
        _ = try await c.client.patch(.nodes, namespace: nil, name: "big", ["status": status], type: "application/merge-patch+json", subresource: "status")
        try await c.advance(until: "the pod bound to big", limit: 15) {
            try await c.client.get(.pods, namespace: "default", name: "huge")[path: ["spec", "nodeName"]] == "big"
        }
        let scheduled = (try await c.client.list(.events, namespace: "default")["items"]?.arrayValue ?? []).first { $0["reason"] == "Scheduled" }
        #expect(scheduled?["message"] == "Successfully assigned default/huge to big")
        await c.stop()
    }

    @Test func nodeSelectorAndTaintsInACluster() async throws {
        let c = try await TestCluster(fleet: FleetConfigFixtures.zonesAndGPU)
        _ = try await c.apply(Self.pod("pinned", cpu: "100m", extra: ["nodeSelector": ["topology.kubernetes.io/zone": "b"]]))
        _ = try await c.apply(Self.pod("plain", cpu: "100m", extra: ["nodeSelector": ["accelerator": "gpu"]]))
        _ = try await c.apply(Self.pod("tolerant", cpu: "100m", extra: ["nodeSelector": ["accelerator": "gpu"],
                                                                        "tolerations": [["key": "gpu", "operator": "Equal", "value": "true", "effect": "NoSchedule"]]]))
        try await c.settle()
        func node(_ name: String) async throws -> String? {
            try await c.client.get(.pods, namespace: "default", name: name)[path: ["spec", "nodeName"]]?.stringValue
        }
        #expect(try await node("pinned") == "zone-b-1")
        #expect(try await node("plain") == nil)
        #expect(try await node("tolerant") == "gpu-1")
        let plain = try await c.client.get(.pods, namespace: "default", name: "plain")
        #expect(plain.condition("PodScheduled")?["message"]?.stringValue == "0/3 nodes are available: 1 node(s) had untolerated taint {gpu: true}, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.")
        await c.stop()
    }
}
