import Foundation
import KplaneTestSupport
import KubeClient
import KubeModel
import Testing

/// The scale-to-zero controller on a test clock: an opted-in Deployment goes to zero after its
/// idle period, counted from its last reported request.
@Suite struct ScaleToZeroControllerTests {
    func replicas(_ c: TestCluster) async throws -> Int64 { try await c.deployment("web")[path: ["spec", "replicas"]]?.intValue ?? -1 }

    @Test func anIdleDeploymentGoesToZeroAfterItsPeriodCountedFromItsLastRequest() async throws {
        let c = try await TestCluster(nodes: 2)
        var d = TestCluster.deployment("web", replicas: 2)
        d.set(["metadata", "annotations"], [ScaleToZero.afterAnnotation: "30s"])
        _ = try await c.apply(d)
        try await c.settle()
        let start = c.clock.now()
        // A request reported 20 s in moves the deadline to 50 s.
        try await c.advance(until: "20 s", limit: 30) { c.clock.now().timeIntervalSince(start) >= 20 }
        _ = try await c.client.patch(.deployments, namespace: "default", name: "web",
                                     ["metadata": ["annotations": [ScaleToZero.lastRequestAnnotation: .string(Timestamp.format(c.clock.now()))]]])
        try await c.advance(until: "zero replicas", limit: 120) { try await replicas(c) == 0 }
        let waited = c.clock.now().timeIntervalSince(start)
        #expect(waited >= 49 && waited < 55, "scaled to zero after \(waited) s")
        try await c.until("the pods gone") { try await c.pods().isEmpty }
        try await c.until("the event") {
            let events = try await c.client.list(.events, namespace: "default")["items"]?.arrayValue ?? []
            return events.contains { $0["reason"] == "ScaledToZero" && $0["message"] == "No request through its Services for 30s: scaled to zero" }
        }
        // At zero it stays there; scaled up by hand, it counts its idle period again.
        _ = try await c.client.patch(.deployments, namespace: "default", name: "web", ["spec": ["replicas": 1]])
        try await c.settle()
        let up = c.clock.now()
        try await c.advance(until: "zero again", limit: 120) { try await replicas(c) == 0 }
        #expect(c.clock.now().timeIntervalSince(up) >= 29)
        await c.stop()
    }

    @Test func aDeploymentThatDidNotOptInKeepsItsReplicas() async throws {
        let c = try await TestCluster(nodes: 2)
        _ = try await c.apply(TestCluster.deployment("web", replicas: 1))
        for _ in 0..<90 { c.clock.advance(by: 1); try await c.settle() }
        #expect(try await replicas(c) == 1)
        await #expect(throws: (any Error).self) {
            _ = try await c.client.patch(.deployments, namespace: "default", name: "web", ["metadata": ["annotations": [ScaleToZero.afterAnnotation: "0s"]]])
        }
        await c.stop()
    }
}
