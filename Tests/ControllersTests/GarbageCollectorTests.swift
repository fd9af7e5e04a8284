import Foundation
import KplaneTestSupport
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

    func delete(_ c: TestCluster, _ r: APIResource, _ name: String, namespace: String? = "default", policy: String) async throws -> JSONValue {
        try await c.client.call("DELETE", r.path(namespace: namespace, name: name), body: ["propagationPolicy": .string(policy)])
    }

    @Test func foregroundDeletionRemovesTheOwnerLast() async throws {
        let c = try await TestCluster()
        _ = try await c.apply(TestCluster.deployment("web", replicas: 3))
        try await c.advance(until: "v1") { try await c.rolledOut("web") }
        let marked = try await delete(c, .deployments, "web", policy: "Foreground")
        #expect(marked[path: ["metadata", "finalizers"]] == ["foregroundDeletion"])
        var ownerOutlived = true
        try await c.advance(until: "the deployment to go", limit: 10) {
            let gone = (try? await c.deployment("web")) == nil
            let rss = try await c.replicaSets(), pods = try await c.pods()
            if gone && (!rss.isEmpty || !pods.isEmpty) { ownerOutlived = false }
            return gone
        }
        #expect(ownerOutlived, "dependents outlived their foreground-deleted owner")
        let rss = try await c.replicaSets(), pods = try await c.pods()
        #expect(rss.isEmpty && pods.isEmpty)
        await c.stop()
    }

    @Test func orphanDeletionKeepsDependentsWithoutTheReference() async throws {
        let c = try await TestCluster()
        _ = try await c.apply(TestCluster.deployment("web", replicas: 2))
        try await c.advance(until: "v1") { try await c.rolledOut("web") }
        _ = try await delete(c, .deployments, "web", policy: "Orphan")
        try await c.advance(until: "the deployment to go", limit: 10) { (try? await c.deployment("web")) == nil }
        try await c.settle()
        let rss = try await c.replicaSets()
        #expect(rss.count == 1 && rss[0].ownerReferences.isEmpty)
        #expect(try await c.pods().filter { !$0.isDeleting }.count == 2, "the ReplicaSet keeps its pods")
        await c.stop()
    }

    @Test func deletingANamespaceEmptiesItThenRemovesIt() async throws {
        let c = try await TestCluster()
        _ = try await c.apply(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "team"]])
        var d = TestCluster.deployment("web", replicas: 2)
        d.set(["metadata", "namespace"], "team")
        _ = try await c.apply(d)
        _ = try await c.apply(["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "settings", "namespace": "team"]])
        try await c.advance(until: "2 pods in team", limit: 5) { try await c.pods(namespace: "team").count == 2 }
        let ns = try await delete(c, .namespaces, "team", namespace: nil, policy: "Background")
        #expect(ns[path: ["status", "phase"]] == "Terminating")
        try await c.advance(until: "the namespace to go", limit: 10) {
            (try? await c.client.get(.namespaces, namespace: nil, name: "team")) == nil
        }
        let pods = try await c.pods(namespace: "team"), rss = try await c.replicaSets(namespace: "team")
        #expect(pods.isEmpty && rss.isEmpty)
        await c.stop()
    }
}
