import KplaneTestSupport
import KubeClient
import KubeModel
import Synchronization
import Testing
@testable import Networking

/// The tracker over informers of a real (in-process) API server, fed EndpointSlices written
/// through the API as the EndpointSlice controller would.
@Suite(.timeLimit(.minutes(3)))
struct EndpointTrackerTests {
    @Test func followsServicesAndSlicesAndSaysWhatChanged() async throws {
        let cluster = try await TestCluster(nodes: 0, controllers: false)
        let informers = SharedInformers(client: cluster.client)
        let tracker = EndpointTracker(informers: informers)
        let changed = Mutex<[ServiceKey]>([])
        tracker.onChange { key in changed.withLock { $0.append(key) } }
        let run = Task { await withTaskGroup(of: Void.self) { g in for i in informers.all { g.addTask { await i.run(clock: cluster.clock) } } } }
        await tracker.waitForSync()
        let web = ServiceKey(namespace: "default", name: "web")
        #expect(tracker.endpoints(of: web, port: 80).isEmpty)

        _ = try await cluster.apply(Fixtures.service("web"))
        _ = try await cluster.apply(Fixtures.slice("web-abc", service: "web", endpoints: [Fixtures.endpoint("10.244.0.7"), Fixtures.endpoint("10.244.0.8", ready: false)]))
        try await cluster.until("the slice's ready endpoint") { tracker.endpoints(of: web, port: 80).map(\.description) == ["10.244.0.7:3000"] }
        #expect(tracker.endpoints(of: web, port: "http").map(\.description) == ["10.244.0.7:3000"])
        #expect(changed.withLock { $0 }.contains(web))

        // The second endpoint turns ready: both are listed, and the change is reported.
        changed.withLock { $0 = [] }
        var slice = try await cluster.client.get(EndpointTracker.endpointSlices, namespace: "default", name: "web-abc")
        slice["endpoints"] = [Fixtures.endpoint("10.244.0.7"), Fixtures.endpoint("10.244.0.8")]
        _ = try await cluster.client.update(EndpointTracker.endpointSlices, namespace: "default", slice)
        try await cluster.until("both endpoints") { tracker.endpoints(of: web, port: 80).count == 2 }
        #expect(changed.withLock { $0 }.contains(web))

        // Deleting the slice empties the Service; deleting the Service empties it even with slices.
        _ = try await cluster.client.delete(EndpointTracker.endpointSlices, namespace: "default", name: "web-abc")
        try await cluster.until("no endpoint") { tracker.endpoints(of: web, port: 80).isEmpty }
        _ = try await cluster.apply(Fixtures.slice("web-def", service: "web", endpoints: [Fixtures.endpoint("10.244.0.9")]))
        try await cluster.until("a new slice") { tracker.endpoints(of: web, port: 80).count == 1 }
        _ = try await cluster.client.delete(EndpointTracker.services, namespace: "default", name: "web")
        try await cluster.until("the Service gone") { tracker.service(web) == nil && tracker.endpoints(of: web, port: 80).isEmpty }
        run.cancel()
        await run.value
        await cluster.stop()
    }
}
