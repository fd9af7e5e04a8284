import Foundation
import Testing
@testable import APIServer
@testable import KubeModel

/// What the API server adds or does beyond storing: default tolerations, requests from
/// limits, pods/eviction, and the event TTL.
@Suite struct AdmissionAndEvictionTests {
    let events = resource("", "v1", "events")

    func pod(_ name: String, extra: [String: JSONValue] = [:]) -> JSONValue {
        var spec: JSONValue = ["containers": [["name": "c", "image": "nginx", "resources": ["limits": ["cpu": "500m", "memory": "64Mi"]]]]]
        for (k, v) in extra { spec[k] = v }
        return ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": .string(name)], "spec": spec]
    }

    @Test func newPodsTolerateNotReadyAndUnreachableFor300Seconds() async throws {
        let api = try await newAPI()
        let created = try await api.create(pods, namespace: "default", body: pod("p"), options: .init()).object
        let tolerations = created[path: ["spec", "tolerations"]]?.arrayValue ?? []
        #expect(tolerations == [
            ["key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300],
            ["key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300],
        ])
        // A pod that tolerates everything gets nothing added.
        let tolerant = try await api.create(pods, namespace: "default", body: pod("q", extra: ["tolerations": [["operator": "Exists"]]]), options: .init()).object
        #expect(tolerant[path: ["spec", "tolerations"]]?.arrayValue?.count == 1)
        // Requests default to limits.
        #expect(created[path: ["spec", "containers"]]?.arrayValue?.first?[path: ["resources", "requests"]] == ["cpu": "500m", "memory": "64Mi"])
    }

    @Test func evictionDeletesThePodAndChecksItsBody() async throws {
        let api = try await newAPI()
        _ = try await api.create(pods, namespace: "default", body: pod("p"), options: .init())
        let wrong = await apiError { _ = try await api.evict(namespace: "default", name: "p", body: ["apiVersion": "policy/v1", "kind": "Eviction", "metadata": ["name": "other"]]) }
        #expect(wrong?.code == 400 && wrong?.message == "name in URL does not match name in Eviction object")
        let missing = await apiError { _ = try await api.evict(namespace: "default", name: "nope", body: ["kind": "Eviction"]) }
        #expect(missing?.code == 404)
        let ok = try await api.evict(namespace: "default", name: "p", body: ["apiVersion": "policy/v1", "kind": "Eviction", "metadata": ["name": "p"]])
        #expect(ok["status"] == "Success" && ok["code"] == 201)
        // Never scheduled, so no kubelet has to stop it: it is gone at once.
        #expect(await apiError { _ = try api.get(pods, namespace: "default", name: "p") }?.code == 404)
    }

    @Test func eventsExpireAfterTheirTTL() async throws {
        let clock = MutableNow()
        let api = APIService(store: try Store(path: nil), now: { clock.now })
        try await api.bootstrap()
        func event(_ name: String, at t: Date) -> JSONValue {
            ["apiVersion": "v1", "kind": "Event", "metadata": ["name": .string(name)], "involvedObject": ["kind": "Pod", "name": "p", "namespace": "default"],
             "reason": "Test", "message": "m", "lastTimestamp": .string(Timestamp.format(t))]
        }
        let start = clock.now
        _ = try await api.create(events, namespace: "default", body: event("old", at: start), options: .init())
        _ = try await api.create(events, namespace: "default", body: event("new", at: start.addingTimeInterval(3000)), options: .init())
        clock.now = start.addingTimeInterval(3700)
        #expect(await api.expireEvents(olderThan: 3600) == 1)
        let left = try api.list(events, namespace: "default", options: .init())["items"]?.arrayValue?.map(\.metaName)
        #expect(left == ["new"])
    }
}

/// A settable clock for the API service's timestamps.
final class MutableNow: @unchecked Sendable {
    // Safety: set only by the test that owns it, before the calls that read it.
    var now = Date(timeIntervalSince1970: 1_790_000_000)
}

extension AdmissionAndEvictionTests {
    /// printNode's STATUS column: Ready, NotReady for False and Unknown, Unknown without a
    /// Ready condition, and SchedulingDisabled when cordoned.
    @Test(arguments: [("True", false, "Ready"), ("False", false, "NotReady"), ("Unknown", false, "NotReady"),
                      (nil, false, "Unknown"), ("True", true, "Ready,SchedulingDisabled")])
    func nodeStatusColumn(ready: String?, cordoned: Bool, expected: String) {
        var node: JSONValue = ["apiVersion": "v1", "kind": "Node", "metadata": ["name": "n", "creationTimestamp": "2026-01-01T00:00:00Z"]]
        if let ready { node.set(["status", "conditions"], [["type": "Ready", "status": .string(ready)]]) }
        if cordoned { node.set(["spec", "unschedulable"], true) }
        let table = TableConverter(now: Date()).table(resource("", "v1", "nodes"), [node], rv: "1")
        #expect(table["rows"]?.arrayValue?.first?["cells"]?.arrayValue?[1] == .string(expected))
    }
}
