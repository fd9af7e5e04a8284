import Foundation
import KplaneTestSupport
import KubeClient
import KubeModel
import Testing

/// RollingUpdate as Kubernetes documents it, on a test clock: pods turn ready two (simulated)
/// seconds after they start, and the test checks the bounds after every change to any pod.
@Suite struct RollingUpdateTests {
    func images(_ c: TestCluster) async throws -> [String] {
        try await c.pods().filter { !$0.isDeleting }.compactMap { $0[path: ["spec", "containers"]]?.arrayValue?.first?["image"]?.stringValue }.sorted()
    }

    @Test func tenReplicasStayWithinQuarterSurgeAndUnavailability() async throws {
        let c = try await TestCluster()
        let observer = await PodObserver(client: c.client)
        _ = try await c.apply(TestCluster.deployment("web", replicas: 10, readinessDelay: 2))
        try await c.advance(until: "10 available") { try await c.rolledOut("web") }
        observer.reset()
        try await c.setImage("web", "app:2")
        try await c.advance(until: "the app:2 rollout") {
            let current = try await images(c)
            return try await c.rolledOut("web") && current == Array(repeating: "app:2", count: 10)
        }
        // 25% of 10: surge rounds up to 3, unavailable down to 2.
        #expect(observer.current.maxActive <= 13)
        #expect(observer.current.maxActive > 10, "the rollout surged")
        #expect(observer.current.minAvailable >= 8)
        let d = try await c.deployment("web")
        #expect(d[path: ["metadata", "annotations", "deployment.kubernetes.io/revision"]] == "2")
        #expect(d.condition("Progressing")?["reason"] == "NewReplicaSetAvailable")
        #expect(d.condition("Available")?["status"] == "True")
        let rss = try await c.replicaSets()
        #expect(rss.count == 2)
        #expect(rss.map { $0[path: ["spec", "replicas"]]?.intValue ?? -1 }.sorted() == [0, 10])
        observer.stop()
        await c.stop()
    }

    @Test func zeroUnavailableSurgesFirst() async throws {
        let c = try await TestCluster()
        let observer = await PodObserver(client: c.client)
        let strategy: JSONValue = ["type": "RollingUpdate", "rollingUpdate": ["maxSurge": 1, "maxUnavailable": 0]]
        _ = try await c.apply(TestCluster.deployment("web", replicas: 4, readinessDelay: 2, strategy: strategy))
        try await c.advance(until: "4 available") { try await c.rolledOut("web") }
        observer.reset()
        try await c.setImage("web", "app:2")
        try await c.advance(until: "the app:2 rollout") {
            let current = try await images(c)
            return try await c.rolledOut("web") && current == Array(repeating: "app:2", count: 4)
        }
        #expect(observer.current.minAvailable >= 4)
        #expect(observer.current.maxActive == 5)
        observer.stop()
        await c.stop()
    }

    @Test func recreateRemovesEveryOldPodBeforeCreating() async throws {
        let c = try await TestCluster(terminationCap: 3)
        _ = try await c.apply(TestCluster.deployment("web", replicas: 3, readinessDelay: 1, strategy: ["type": "Recreate"]))
        try await c.advance(until: "3 available") { try await c.rolledOut("web") }
        let observer = await PodObserver(client: c.client)
        try await c.setImage("web", "app:2")
        try await c.advance(until: "the app:2 rollout") {
            let current = try await images(c)
            return try await c.rolledOut("web") && current == Array(repeating: "app:2", count: 3)
        }
        #expect(!observer.current.mixedImages, "an app:2 pod existed beside an app:1 pod")
        #expect(observer.current.minAvailable == 0)
        observer.stop()
        await c.stop()
    }
}
