import Controllers
import Foundation
import KplaneTestSupport
import KubeClient
import KubeModel
import Testing

/// The EndpointSlice and Endpoints controllers on a simulated fleet: a Service's pods become its
/// endpoints as they turn ready, leave them as they go, and a Service without a selector is
/// left alone.
@Suite struct EndpointsControllersTests {
    let slices = EndpointSliceController.endpointSlices
    let endpoints = EndpointsController.endpointsResource

    static func service(_ name: String, selector: JSONValue? = ["app": "web"], publishNotReady: Bool = false) -> JSONValue {
        var spec: JSONValue = ["ports": [["name": "http", "port": 80, "targetPort": 80]], "publishNotReadyAddresses": .bool(publishNotReady)]
        if let selector { spec["selector"] = selector }
        return ["apiVersion": "v1", "kind": "Service", "metadata": ["name": .string(name), "namespace": "default"], "spec": spec]
    }

    func slices(_ c: TestCluster, _ service: String) async throws -> [EndpointSlice] {
        let list = try await c.client.list(slices, namespace: "default", labelSelector: "kubernetes.io/service-name=\(service)")
        return (list["items"]?.arrayValue ?? []).map(EndpointSlice.init)
    }

    func readyAddresses(_ c: TestCluster, _ service: String) async throws -> [String] {
        try await slices(c, service).flatMap(\.endpoints).filter { $0.ready == true }.flatMap(\.addresses).sorted()
    }

    func endpointsObject(_ c: TestCluster, _ service: String) async -> JSONValue? {
        try? await c.client.get(endpoints, namespace: "default", name: service)
    }

    @Test func podsBecomeEndpointsAsTheyTurnReady() async throws {
        let c = try await TestCluster()
        _ = try await c.apply(Self.service("web"))
        _ = try await c.apply(TestCluster.deployment("web", replicas: 3, readinessDelay: 5))
        // Running but not yet ready: listed as not ready in both objects.
        try await c.until("3 not-ready endpoints") {
            try await slices(c, "web").flatMap(\.endpoints).filter { $0.ready == false && $0.serving == false }.count == 3
        }
        // The Endpoints controller is another controller: it gets there in its own time.
        try await c.until("3 not-ready addresses in Endpoints") {
            await endpointsObject(c, "web")?[path: ["subsets"]]?.arrayValue?.first?["notReadyAddresses"]?.arrayValue?.count == 3
        }
        try await c.advance(until: "3 ready endpoints", limit: 20) { try await readyAddresses(c, "web").count == 3 }
        try await c.until("3 ready addresses in Endpoints") {
            await endpointsObject(c, "web")?["subsets"]?.arrayValue?.first?["addresses"]?.arrayValue?.count == 3
        }
        let pods = try await c.pods()
        let ips = pods.compactMap { Pod($0).status.podIP }.sorted()
        #expect(try await readyAddresses(c, "web") == ips)
        let slice = try #require(try await slices(c, "web").first)
        #expect(slice.metadata.name.hasPrefix("web-"))
        #expect(slice.metadata.labels["endpointslice.kubernetes.io/managed-by"] == "endpointslice-controller.k8s.io")
        #expect(slice.metadata.ownerReferences.first?.kind == "Service")
        #expect(slice.ports.first?.port == 80 && slice.ports.first?.name == "http")
        #expect(slice.endpoints.allSatisfy { $0.nodeName != nil && $0.targetRef?.kind == "Pod" })
        let ep = try #require(await endpointsObject(c, "web"))
        #expect(ep.metaAnnotations["endpoints.kubernetes.io/last-change-trigger-time"] != nil)
        #expect(ep[path: ["subsets"]]?.arrayValue?.first?["ports"] == [["name": "http", "port": 80, "protocol": "TCP"]])
        // Settled: nothing is written again (what is stored compares equal to what is computed).
        try await c.settle()
        let versions = [ep.resourceVersion] + (try await slices(c, "web")).map(\.metadata.resourceVersion)
        _ = try await c.client.patch(.pods, namespace: "default", name: pods[0].metaName, ["metadata": ["annotations": ["touched": "yes"]]])
        _ = try await c.client.patch(EndpointSliceController.services, namespace: "default", name: "web", ["metadata": ["annotations": ["touched": "yes"]]])
        try await c.settle()
        let after = [await endpointsObject(c, "web")?.resourceVersion ?? ""] + (try await slices(c, "web")).map(\.metadata.resourceVersion)
        #expect(after == versions)
        // A sync on a cache behind our own write waits for it instead of conflicting.
        let events = try await c.client.list(.events, namespace: "default")["items"]?.arrayValue ?? []
        #expect(events.filter { $0["type"] == "Warning" }.compactMap { $0["reason"]?.stringValue } == [])
        await c.stop()
    }

    @Test func aDeletedPodIsTerminatingInSlicesAndGoneFromEndpoints() async throws {
        let c = try await TestCluster(terminationCap: 30)
        _ = try await c.apply(Self.service("web"))
        _ = try await c.apply(TestCluster.deployment("web", replicas: 2))
        try await c.advance(until: "2 ready endpoints", limit: 10) { try await readyAddresses(c, "web").count == 2 }
        let victim = try #require(try await c.pods().first)
        _ = try await c.client.delete(.pods, namespace: "default", name: victim.metaName)
        try await c.until("the victim terminating") {
            try await slices(c, "web").flatMap(\.endpoints).contains { $0.targetRef?.name == victim.metaName && $0.terminating == true && $0.ready == false }
        }
        try await c.until("the victim out of Endpoints") {
            let addrs = await endpointsObject(c, "web")?["subsets"]?.arrayValue?.flatMap { ($0["addresses"]?.arrayValue ?? []) + ($0["notReadyAddresses"]?.arrayValue ?? []) } ?? []
            return !addrs.contains { $0[path: ["targetRef", "name"]]?.stringValue == victim.metaName }
        }
        await c.stop()
    }

    @Test func aServiceWithoutASelectorGetsNoneAndADeletedServiceLosesItsEndpoints() async throws {
        let c = try await TestCluster()
        _ = try await c.apply(Self.service("manual", selector: nil))
        _ = try await c.apply(Self.service("web"))
        try await c.until("web's placeholder slice and Endpoints") {
            try await slices(c, "web").count == 1
        }
        try await c.until("web's Endpoints") { await endpointsObject(c, "web") != nil }
        try await c.settle()
        #expect(try await slices(c, "manual").isEmpty)
        #expect(await endpointsObject(c, "manual") == nil)
        // The placeholder: no ports, no endpoints.
        let placeholder = try #require(try await slices(c, "web").first)
        #expect(placeholder.endpoints.isEmpty && placeholder.ports.isEmpty)
        _ = try await c.client.delete(EndpointSliceController.services, namespace: "default", name: "web")
        try await c.until("web's Endpoints gone") { await endpointsObject(c, "web") == nil }
        await c.stop()
    }

    @Test func aSliceDeletedByHandIsWrittenAgain() async throws {
        let c = try await TestCluster()
        _ = try await c.apply(Self.service("web"))
        _ = try await c.apply(TestCluster.deployment("web", replicas: 2))
        try await c.advance(until: "2 ready endpoints", limit: 10) { try await readyAddresses(c, "web").count == 2 }
        let slice = try #require(try await slices(c, "web").first)
        _ = try await c.client.delete(slices, namespace: "default", name: slice.metadata.name)
        try await c.until("a new slice with both endpoints") {
            let now = try await slices(c, "web")
            return now.count == 1 && now[0].metadata.name != slice.metadata.name && now[0].endpoints.count == 2
        }
        await c.stop()
    }
}

