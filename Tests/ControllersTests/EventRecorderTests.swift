import Foundation
import KplaneTestSupport
import KubeClient
import KubeModel
import Testing

/// Events as client-go's recorder writes them, against the in-process API server.
@Suite struct EventRecorderTests {
    /// Two components stamping events on same-named objects at one instant (a Deployment and
    /// its HPA, both `web`) get two events: the second name is taken, and another is tried.
    @Test func sameNamedObjectsAtOneInstantGetAnEventEach() async throws {
        let c = try await TestCluster(nodes: 0, controllers: false)
        let a = EventRecorder(client: c.client, component: "deployment-controller", clock: c.clock)
        let b = EventRecorder(client: c.client, component: "horizontal-pod-autoscaler", clock: c.clock)
        let deployment: JSONValue = ["apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "web", "namespace": "default", "uid": "d"]]
        let hpa: JSONValue = ["apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": ["name": "web", "namespace": "default", "uid": "h"]]
        a.event(deployment, reason: "ScalingReplicaSet", message: "Scaled up")
        await a.shutDown()
        b.event(hpa, reason: "SuccessfulRescale", message: "New size: 2")
        await b.shutDown()
        let events = try await c.client.list(.events, namespace: "default")["items"]?.arrayValue ?? []
        #expect(events.map { $0["reason"]?.stringValue ?? "" }.sorted() == ["ScalingReplicaSet", "SuccessfulRescale"])
        #expect(Set(events.map(\.metaName)).count == 2 && events.allSatisfy { $0.metaName.hasPrefix("web.") })
        await c.stop()
    }
}
