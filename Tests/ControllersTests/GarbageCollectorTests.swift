import Foundation
import KubeClient
import KubeModel
import Testing

/// Dependents whose owners are gone: deleted when no owner is left, trimmed otherwise.
@Suite struct GarbageCollectorTests {
    func ref(kind: String, apiVersion: String, name: String, uid: String) -> JSONValue {
        ["apiVersion": .string(apiVersion), "kind": .string(kind), "name": .string(name), "uid": .string(uid)]
    }

    @Test func deletesDependentsOfMissingOwnersAndTrimsDanglingReferences() async throws {
        let c = try await TestCluster()
        let live = try await c.apply(["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "owner", "namespace": "default"]])
        var orphaned = ReplicaSetTests.pod("orphaned", labels: ["x": "1"])
        orphaned.set(["metadata", "ownerReferences"], [ref(kind: "ReplicaSet", apiVersion: "apps/v1", name: "gone", uid: "0000")])
        var shared = ReplicaSetTests.pod("shared", labels: ["x": "2"])
        shared.set(["metadata", "ownerReferences"], [ref(kind: "ReplicaSet", apiVersion: "apps/v1", name: "gone", uid: "0000"),
                                                     ref(kind: "ConfigMap", apiVersion: "v1", name: "owner", uid: live.uid)])
        _ = try await c.apply(orphaned)
        _ = try await c.apply(shared)
        try await c.advance(until: "the orphaned pod to go", limit: 10) { try await c.pods().allSatisfy { $0.metaName != "orphaned" } }
        try await c.until("the dangling reference to go") {
            try await c.client.get(.pods, namespace: "default", name: "shared").ownerReferences.count == 1
        }
        #expect(try await c.client.get(.pods, namespace: "default", name: "shared").ownerReferences.first?["name"] == "owner")
        await c.stop()
    }

    @Test func deletingADeploymentRemovesItsReplicaSetsAndPods() async throws {
        let c = try await TestCluster()
        _ = try await c.apply(TestCluster.deployment("web", replicas: 3))
        try await c.advance(until: "v1") { try await c.rolledOut("web") }
        _ = try await c.client.delete(.deployments, namespace: "default", name: "web")
        try await c.advance(until: "nothing left", limit: 10) {
            let rss = try await c.replicaSets()
            let pods = try await c.pods()
            return rss.isEmpty && pods.isEmpty
        }
        await c.stop()
    }
}
