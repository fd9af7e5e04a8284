import Foundation
import KubeModel
import Testing
@testable import Controllers

/// What the EndpointSlice controller computes, without a server: the endpoints and conditions
/// of each pod (`reconciler_test.go`, `utils_test.go` of `k8s.io/endpointslice`) and the slice
/// writes that follow.
@Suite struct EndpointSliceComputationTests {
    static func service(_ name: String = "myapp", ports: [JSONValue] = [["name": "http", "port": 80, "protocol": "TCP", "targetPort": 3000]],
                        publishNotReady: Bool = false, clusterIP: String = "10.96.0.10", labels: JSONValue = ["app": "myapp"]) -> JSONValue {
        ["apiVersion": "v1", "kind": "Service",
         "metadata": ["name": .string(name), "namespace": "default", "uid": "svc-uid", "labels": labels,
                      "creationTimestamp": "2026-12-01T10:00:00Z"],
         "spec": ["selector": ["app": "myapp"], "ports": .array(ports), "clusterIP": .string(clusterIP),
                  "ipFamilies": ["IPv4"], "publishNotReadyAddresses": .bool(publishNotReady)]]
    }

    static func pod(_ name: String, ip: String?, ready: Bool = true, node: String = "node-1", phase: String = "Running",
                    deleting: Bool = false, containerPorts: [JSONValue] = [], hostname: String? = nil, subdomain: String? = nil) -> JSONValue {
        var p: JSONValue = [
            "apiVersion": "v1", "kind": "Pod",
            "metadata": ["name": .string(name), "namespace": "default", "uid": .string("uid-" + name), "labels": ["app": "myapp"]],
            "spec": ["nodeName": .string(node), "containers": [["name": "app", "image": "app:1", "ports": .array(containerPorts)]]],
            "status": ["phase": .string(phase),
                       "conditions": [["type": "Ready", "status": .string(ready ? "True" : "False"), "lastTransitionTime": "2026-12-01T10:00:05Z"]]],
        ]
        if let ip { p.set(["status", "podIP"], .string(ip)); p.set(["status", "podIPs"], [["ip": .string(ip)]]) }
        if deleting { p.set(["metadata", "deletionTimestamp"], "2026-12-01T10:01:00Z") }
        if let hostname { p.set(["spec", "hostname"], .string(hostname)) }
        if let subdomain { p.set(["spec", "subdomain"], .string(subdomain)) }
        return p
    }

    @Sendable static func zoned(_ name: String) -> JSONValue? {
        ["metadata": ["name": .string(name), "labels": ["topology.kubernetes.io/zone": "zone-a"]]]
    }

    func desired(_ svc: JSONValue, _ pods: [JSONValue], node: (String) -> JSONValue? = zoned) -> DesiredEndpoints {
        DesiredEndpoints(service: svc, pods: pods, addressType: "IPv4", node: node)
    }

    struct ConditionCase: Sendable, CustomTestStringConvertible {
        let name: String
        let ready: Bool, deleting: Bool, publish: Bool
        let want: (ready: Bool, serving: Bool, terminating: Bool)
        var testDescription: String { name }
    }

    @Test(arguments: [
        ConditionCase(name: "ready", ready: true, deleting: false, publish: false, want: (true, true, false)),
        ConditionCase(name: "not ready", ready: false, deleting: false, publish: false, want: (false, false, false)),
        ConditionCase(name: "terminating, still ready", ready: true, deleting: true, publish: false, want: (false, true, true)),
        ConditionCase(name: "terminating, not ready", ready: false, deleting: true, publish: false, want: (false, false, true)),
        ConditionCase(name: "not ready, published", ready: false, deleting: false, publish: true, want: (true, false, false)),
        ConditionCase(name: "terminating, published", ready: true, deleting: true, publish: true, want: (true, true, true)),
    ])
    func conditionsAsKubernetesComputesThem(_ c: ConditionCase) throws {
        let d = desired(Self.service(publishNotReady: c.publish), [Self.pod("a", ip: "10.244.0.5", ready: c.ready, deleting: c.deleting)])
        let ep = try #require(d.groups.values.first?.endpoints.first)
        #expect(ep["conditions"] == ["ready": .bool(c.want.ready), "serving": .bool(c.want.serving), "terminating": .bool(c.want.terminating)])
    }

    @Test func anEndpointNamesItsPodNodeAndZone() throws {
        let d = desired(Self.service(), [Self.pod("a", ip: "10.244.0.5")])
        let group = try #require(d.groups.values.first)
        #expect(group.ports == [["name": "http", "port": 3000, "protocol": "TCP"]])
        #expect(group.endpoints == [[
            "addresses": ["10.244.0.5"],
            "conditions": ["ready": true, "serving": true, "terminating": false],
            "nodeName": "node-1", "zone": "zone-a",
            "targetRef": ["kind": "Pod", "namespace": "default", "name": "a", "uid": "uid-a"],
        ]])
    }

    @Test func podsWithoutIPsFinishedOrOnUnknownNodesAreLeftOut() {
        let pods = [Self.pod("no-ip", ip: nil), Self.pod("done", ip: "10.244.0.6", phase: "Succeeded"),
                    Self.pod("failed", ip: "10.244.0.7", phase: "Failed"), Self.pod("lost", ip: "10.244.0.8", node: "gone")]
        let d = desired(Self.service(), pods, node: { $0 == "gone" ? nil : Self.zoned($0) })
        #expect(d.groups.isEmpty)
        #expect(d.skipped == ["skipping Pod lost for Service default/myapp: Node gone Not Found"])
        // Published not-ready addresses keep a pod whose node is unknown.
        #expect(desired(Self.service(publishNotReady: true), pods, node: { _ in nil }).groups.values.first?.endpoints.count == 1)
    }

    @Test func aNamedTargetPortResolvesPerPodIntoSeparateGroups() {
        let svc = Self.service(ports: [["name": "web", "port": 80, "protocol": "TCP", "targetPort": "http"]])
        let pods = [Self.pod("a", ip: "10.244.0.5", containerPorts: [["name": "http", "containerPort": 3000]]),
                    Self.pod("b", ip: "10.244.0.6", containerPorts: [["name": "http", "containerPort": 8080]]),
                    Self.pod("c", ip: "10.244.0.7", containerPorts: [["name": "http", "containerPort": 3000]]),
                    Self.pod("udp", ip: "10.244.0.8", containerPorts: [["name": "http", "containerPort": 3000, "protocol": "UDP"]])]
        let d = desired(svc, pods)
        let byPort = Dictionary(uniqueKeysWithValues: d.groups.values.map { ($0.ports.first?["port"]?.intValue ?? 0, $0.endpoints.map { $0[path: ["targetRef", "name"]] }) })
        #expect(byPort == [3000: ["a", "c"], 8080: ["b"], 0: ["udp"]])
        // The UDP-only pod resolves no port: its group has none.
        #expect(d.groups.values.contains { $0.ports.isEmpty })
    }

    @Test func aHostnameInTheServicesSubdomainIsPublished() {
        let svc = Self.service()
        let d = desired(svc, [Self.pod("a", ip: "10.244.0.5", hostname: "web-0", subdomain: "myapp"),
                              Self.pod("b", ip: "10.244.0.6", hostname: "web-1", subdomain: "other")])
        let hostnames = d.groups.values.flatMap(\.endpoints).map { $0["hostname"]?.stringValue }
        #expect(hostnames == ["web-0", nil])
    }

    // MARK: - Slice plans

    func plan(_ svc: JSONValue, _ pods: [JSONValue], existing: [JSONValue] = [], max: Int = 100) -> SlicePlan {
        SlicePlan(service: svc, desired: desired(svc, pods), existing: existing, addressType: "IPv4", maxEndpointsPerSlice: max, triggerTime: nil)
    }

    static func pods(_ n: Int, from: Int = 0) -> [JSONValue] {
        (from..<(from + n)).map { pod(String(format: "p%03d", $0), ip: "10.244.\($0 / 250).\($0 % 250 + 1)") }
    }

    /// A created slice as the API server would store it.
    static func stored(_ slice: JSONValue, name: String, rv: Int = 1) -> JSONValue {
        var s = slice
        s.set(["metadata", "name"], .string(name))
        s.set(["metadata", "resourceVersion"], .string(String(rv)))
        return s
    }

    @Test func aNewSliceIsLabelledOwnedAndNamedAfterItsService() throws {
        let p = plan(Self.service(), Self.pods(2))
        #expect(p.update.isEmpty && p.delete.isEmpty)
        let slice = try #require(p.create.first)
        #expect(p.create.count == 1)
        #expect(slice[path: ["metadata", "generateName"]] == "myapp-")
        #expect(slice[path: ["metadata", "labels"]] == ["app": "myapp", "kubernetes.io/service-name": "myapp",
                                                        "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io"])
        #expect(slice[path: ["metadata", "ownerReferences"]] == [["apiVersion": "v1", "kind": "Service", "name": "myapp", "uid": "svc-uid",
                                                                  "controller": true, "blockOwnerDeletion": true]])
        #expect(slice["addressType"] == "IPv4")
        #expect(slice["endpoints"]?.arrayValue?.count == 2)
    }

    @Test func headlessServicesSlicesCarryTheHeadlessLabel() {
        let p = plan(Self.service(clusterIP: "None"), Self.pods(1))
        #expect(p.create.first?[path: ["metadata", "labels", "service.kubernetes.io/headless"]] == "")
    }

    @Test func atMostMaxEndpointsASlice() {
        let p = plan(Self.service(), Self.pods(250))
        #expect(p.create.map { $0["endpoints"]?.arrayValue?.count ?? 0 } == [100, 100, 50])
    }

    @Test func aServiceWithoutEndpointsGetsOnePlaceholderAndKeepsIt() throws {
        let p = plan(Self.service(), [])
        let placeholder = try #require(p.create.first)
        #expect(p.create.count == 1 && placeholder["ports"] == nil && placeholder["endpoints"] == [])
        let again = plan(Self.service(), [], existing: [Self.stored(placeholder, name: "myapp-abcde")])
        #expect(again.isEmpty)
    }

    @Test func anUnchangedServiceWritesNothing() throws {
        let first = plan(Self.service(), Self.pods(3))
        let existing = first.create.enumerated().map { Self.stored($1, name: "myapp-\($0)") }
        #expect(plan(Self.service(), Self.pods(3), existing: existing).isEmpty)
    }

    @Test func aPodTurningReadyUpdatesItsSliceInPlace() throws {
        var pods = Self.pods(3)
        pods[1] = Self.pod("p001", ip: "10.244.0.2", ready: false)
        let existing = plan(Self.service(), pods).create.map { Self.stored($0, name: "myapp-x") }
        let p = plan(Self.service(), Self.pods(3), existing: existing)
        #expect(p.create.isEmpty && p.delete.isEmpty)
        let updated = try #require(p.update.first)
        #expect(updated.metaName == "myapp-x")
        #expect(updated["endpoints"]?.arrayValue?.map { $0[path: ["conditions", "ready"]] } == [true, true, true])
    }

    @Test func newEndpointsFillTheSliceBeingWrittenBeforeANewOne() throws {
        let existing = [Self.stored(plan(Self.service(), Self.pods(3)).create[0], name: "myapp-x")]
        // p001 goes, p003 and p004 come: one update, no create.
        let pods = [Self.pods(3)[0], Self.pods(3)[2]] + Self.pods(2, from: 3)
        let p = plan(Self.service(), pods, existing: existing)
        #expect(p.create.isEmpty && p.delete.isEmpty)
        #expect(p.update.first?["endpoints"]?.arrayValue?.compactMap { $0[path: ["targetRef", "name"]]?.stringValue } == ["p000", "p002", "p003", "p004"])
    }

    @Test func aSliceEmptiedIsReusedForTheNewPortsRatherThanDeletedAndCreated() throws {
        let existing = plan(Self.service(), Self.pods(2)).create.map { Self.stored($0, name: "myapp-x") }
        let changed = Self.service(ports: [["name": "http", "port": 80, "protocol": "TCP", "targetPort": 8080]])
        let p = plan(changed, Self.pods(2), existing: existing)
        #expect(p.create.isEmpty && p.delete.isEmpty)
        #expect(p.update.first?.metaName == "myapp-x")
        #expect(p.update.first?["ports"] == [["name": "http", "port": 8080, "protocol": "TCP"]])
    }

    @Test func theTriggerTimeAnnotatesWrittenSlices() {
        let svc = Self.service()
        let p = SlicePlan(service: svc, desired: desired(svc, Self.pods(1)), existing: [], addressType: "IPv4", maxEndpointsPerSlice: 100,
                          triggerTime: Timestamp.parse("2026-12-01T10:00:05Z"))
        #expect(p.create.first?[path: ["metadata", "annotations", "endpoints.kubernetes.io/last-change-trigger-time"]] == "2026-12-01T10:00:05Z")
    }

    @Test func theTriggerTimeIsTheEarliestChangeNotSeenBefore() throws {
        let tracker = TriggerTimeTracker()
        let svc = Self.service()
        #expect(tracker.compute(service: svc, pods: [Self.pod("a", ip: "10.244.0.5")]) == Timestamp.parse("2026-12-01T10:00:00Z"))
        #expect(tracker.compute(service: svc, pods: [Self.pod("a", ip: "10.244.0.5")]) == nil)
        var later = Self.pod("a", ip: "10.244.0.5")
        later.set(["status", "conditions"], [["type": "Ready", "status": "True", "lastTransitionTime": "2026-12-01T10:02:00.5Z"]])
        let t = try #require(tracker.compute(service: svc, pods: [later]))
        #expect(TriggerTimeTracker.format(t) == "2026-12-01T10:02:00.5Z")
    }
}
