import Foundation
import KplaneTestSupport
import KubeClient
import KubeModel
import Testing

/// The Deployment controller's other duties: pause, proportional scaling, rollback, history
/// limit, restart, and the progress deadline.
@Suite struct DeploymentTests {
    func image(_ d: JSONValue) -> String? { d[path: ["spec", "template", "spec", "containers"]]?.arrayValue?.first?["image"]?.stringValue }

    func revisions(_ c: TestCluster) async throws -> [Int64: JSONValue] {
        var out: [Int64: JSONValue] = [:]
        for rs in try await c.replicaSets() {
            if let r = rs.metaAnnotations["deployment.kubernetes.io/revision"].flatMap({ Int64($0) }) { out[r] = rs }
        }
        return out
    }

    /// What `kubectl rollout undo --to-revision` sends: the ReplicaSet's template, hash label removed.
    func undo(_ c: TestCluster, _ name: String, to revision: Int64) async throws {
        guard var template = try await revisions(c)[revision]?[path: ["spec", "template"]] else { throw TestCluster.TimedOut(what: "revision \(revision)") }
        template.set(["metadata", "labels", "pod-template-hash"], nil)
        _ = try await c.client.patch(.deployments, namespace: "default", name: name,
                                     [["op": "replace", "path": "/spec/template", "value": template]], type: "application/json-patch+json")
    }

    @Test func pausedDeploymentsDoNotRollOutUntilResumed() async throws {
        let c = try await TestCluster()
        _ = try await c.apply(TestCluster.deployment("web", replicas: 3))
        try await c.advance(until: "web available") { try await c.rolledOut("web") }
        _ = try await c.client.patch(.deployments, namespace: "default", name: "web", ["spec": ["paused": true]])
        try await c.setImage("web", "app:2")
        try await c.settle()
        #expect(try await c.replicaSets().count == 1, "no new ReplicaSet while paused")
        #expect(try await c.deployment("web").condition("Progressing")?["reason"] == "DeploymentPaused")
        _ = try await c.client.patch(.deployments, namespace: "default", name: "web", ["spec": ["paused": false]])
        try await c.advance(until: "the rollout after resume") {
            let rss = try await c.replicaSets()
            return try await c.rolledOut("web") && rss.count == 2
        }
        let pods = try await c.pods().filter { !$0.isDeleting }
        #expect(pods.count == 3 && pods.allSatisfy { $0[path: ["spec", "containers"]]?.arrayValue?.first?["image"] == "app:2" })
        await c.stop()
    }

    @Test func scalingMidRolloutIsProportional() async throws {
        let c = try await TestCluster()
        _ = try await c.apply(TestCluster.deployment("web", replicas: 10, readinessDelay: 5))
        try await c.advance(until: "10 available") { try await c.rolledOut("web") }
        try await c.setImage("web", "app:2")
        try await c.settle()
        // Mid-rollout, no new pod ready yet: new 3, then old 10→8 (2 unavailable), then new 3→5 (13 in all).
        let before = try await c.replicaSets().map { $0[path: ["spec", "replicas"]]?.intValue ?? 0 }.sorted()
        #expect(before == [5, 8])
        _ = try await c.client.patch(.deployments, namespace: "default", name: "web", ["spec": ["replicas": 20]])
        try await c.settle()
        // 13 allowed become 25 (20 + 25% surge), shared by size: old 8 × 25/13 → 15, new 5 × 25/13 → 10.
        let after = try await c.replicaSets().map { $0[path: ["spec", "replicas"]]?.intValue ?? 0 }.sorted()
        #expect(after == [10, 15])
        try await c.advance(until: "20 updated and available") { try await c.rolledOut("web") }
        #expect(try await c.pods().filter { !$0.isDeleting }.count == 20)
        await c.stop()
    }

    @Test func undoRestoresTheOldTemplateAsANewRevision() async throws {
        let c = try await TestCluster()
        _ = try await c.apply(TestCluster.deployment("web", replicas: 2))
        try await c.advance(until: "v1") { try await c.rolledOut("web") }
        try await c.setImage("web", "app:2")
        try await c.advance(until: "v2") { try await c.rolledOut("web", image: "app:2") }
        try await c.setImage("web", "app:3")
        try await c.advance(until: "v3") { try await c.rolledOut("web", image: "app:3") }
        #expect(try await revisions(c).keys.sorted() == [1, 2, 3])
        // Undo to the previous revision: revision 2's ReplicaSet becomes revision 4.
        try await undo(c, "web", to: 2)
        try await c.advance(until: "undo to 2") {
            let keys = try await revisions(c).keys.sorted()
            return try await c.rolledOut("web") && keys == [1, 3, 4]
        }
        let r4 = try #require(try await revisions(c)[4])
        #expect(r4[path: ["spec", "template", "spec", "containers"]]?.arrayValue?.first?["image"] == "app:2")
        #expect(r4.metaAnnotations["deployment.kubernetes.io/revision-history"] == "2")
        #expect(try await c.deployment("web").metaAnnotations["deployment.kubernetes.io/revision"] == "4")
        // Undo to a given revision: 1.
        try await undo(c, "web", to: 1)
        try await c.advance(until: "undo to 1") {
            let keys = try await revisions(c).keys.sorted()
            return try await c.rolledOut("web") && keys == [3, 4, 5]
        }
        #expect(try await revisions(c)[5]?[path: ["spec", "template", "spec", "containers"]]?.arrayValue?.first?["image"] == "app:1")
        #expect(try await c.replicaSets().count == 3, "rollbacks reuse ReplicaSets")
        await c.stop()
    }

    @Test func revisionHistoryLimitDeletesTheOldestScaledDownReplicaSets() async throws {
        let c = try await TestCluster()
        _ = try await c.apply(TestCluster.deployment("web", replicas: 1, extraSpec: ["revisionHistoryLimit": 2]))
        try await c.advance(until: "v1") { try await c.rolledOut("web") }
        for v in 2...5 {
            try await c.setImage("web", "app:\(v)")
            try await c.advance(until: "v\(v)") { try await c.rolledOut("web", image: "app:\(v)") }
        }
        try await c.settle()
        #expect(try await revisions(c).keys.sorted() == [3, 4, 5])
        await c.stop()
    }

    @Test func restartRollsEveryPod() async throws {
        let c = try await TestCluster()
        _ = try await c.apply(TestCluster.deployment("web", replicas: 3))
        try await c.advance(until: "v1") { try await c.rolledOut("web") }
        let before = Set(try await c.pods().map(\.metaName))
        _ = try await c.client.patch(.deployments, namespace: "default", name: "web",
                                     ["spec": ["template": ["metadata": ["annotations": ["kubectl.kubernetes.io/restartedAt": "2026-11-25T10:00:00Z"]]]]])
        try await c.advance(until: "restart") {
            let now = Set(try await c.pods().filter { !$0.isDeleting }.map(\.metaName))
            return try await c.rolledOut("web") && now.count == 3 && now.isDisjoint(with: before)
        }
        #expect(try await revisions(c).keys.sorted() == [1, 2])
        await c.stop()
    }

    @Test func progressDeadlineExceeded() async throws {
        let c = try await TestCluster()
        // Pods that never turn ready within the deadline.
        _ = try await c.apply(TestCluster.deployment("web", replicas: 2, readinessDelay: 3600, extraSpec: ["progressDeadlineSeconds": 30]))
        try await c.settle()
        let reason = try await c.deployment("web").condition("Progressing")?["reason"]?.stringValue
        #expect(reason == "NewReplicaSetCreated" || reason == "ReplicaSetUpdated")
        try await c.advance(until: "the deadline", limit: 60) {
            try await c.deployment("web").condition("Progressing")?["reason"] == "ProgressDeadlineExceeded"
        }
        let cond = try #require(try await c.deployment("web").condition("Progressing"))
        #expect(cond["status"] == "False")
        #expect(cond["message"]?.stringValue?.hasSuffix("has timed out progressing.") == true)
        #expect(try await c.deployment("web").condition("Available")?["status"] == "False")
        await c.stop()
    }
}
