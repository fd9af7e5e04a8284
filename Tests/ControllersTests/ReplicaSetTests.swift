import Foundation
@testable import Controllers
import KplaneTestSupport
@testable import KubeClient
import KubeModel
import Synchronization
import Testing

/// The ReplicaSet controller against a real (in-process) API server and simulated nodes.
@Suite struct ReplicaSetTests {
    static func replicaSet(_ name: String, replicas: Int, minReadySeconds: Int = 0) -> JSONValue {
        var spec: JSONValue = [
            "replicas": .int(Int64(replicas)), "selector": ["matchLabels": ["app": .string(name)]],
            "template": ["metadata": ["labels": ["app": .string(name)]], "spec": ["containers": [["name": "app", "image": "app:1"]]]],
        ]
        if minReadySeconds > 0 { spec["minReadySeconds"] = .int(Int64(minReadySeconds)) }
        return ["apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": ["name": .string(name), "namespace": "default"], "spec": spec]
    }

    static func pod(_ name: String, labels: [String: String]) -> JSONValue {
        ["apiVersion": "v1", "kind": "Pod",
         "metadata": ["name": .string(name), "namespace": "default", "labels": .object(labels.mapValues { .string($0) })],
         "spec": ["containers": [["name": "app", "image": "app:1"]]]]
    }

    func rs(_ c: TestCluster, _ name: String) async throws -> JSONValue { try await c.client.get(.replicaSets, namespace: "default", name: name) }

    @Test func createsOwnedPodsAndReportsStatus() async throws {
        let c = try await TestCluster()
        _ = try await c.apply(Self.replicaSet("web", replicas: 3, minReadySeconds: 10))
        try await c.until("3 ready") { try await rs(c, "web")[path: ["status", "readyReplicas"]] == 3 }
        let created = try await rs(c, "web")
        let pods = try await c.pods()
        #expect(pods.count == 3)
        for p in pods {
            // Recorded as kube-controller-manager's, as kube-apiserver names its writes.
            #expect(p[path: ["metadata", "managedFields"]]?.arrayValue?.first?["manager"] == "kube-controller-manager")
            #expect(p.metaName.hasPrefix("web-") && p.metaName.count == "web-".count + 5)
            let ref = try #require(p.controllerRef)
            #expect(ref["kind"] == "ReplicaSet" && ref["uid"]?.stringValue == created.uid && ref["blockOwnerDeletion"] == true)
        }
        #expect(created[path: ["status", "replicas"]] == 3)
        #expect(created[path: ["status", "fullyLabeledReplicas"]] == 3)
        #expect(created[path: ["status", "observedGeneration"]] == .int(created.generation))
        #expect(created[path: ["status", "availableReplicas"]] == nil, "not available before minReadySeconds")
        try await c.advance(until: "available after minReadySeconds", limit: 15) { try await rs(c, "web")[path: ["status", "availableReplicas"]] == 3 }
        let events = try await c.client.list(.events, namespace: "default")["items"]?.arrayValue ?? []
        #expect(events.filter { $0["reason"] == "SuccessfulCreate" }.count == 3)
        await c.stop()
    }

    @Test func adoptsOrphansAndReleasesPodsThatStopMatching() async throws {
        let c = try await TestCluster()
        _ = try await c.apply(Self.pod("orphan", labels: ["app": "web"]))
        _ = try await c.apply(Self.replicaSet("web", replicas: 2))
        try await c.until("2 ready") { try await rs(c, "web")[path: ["status", "readyReplicas"]] == 2 }
        try await c.settle()
        // Informers are independent: the ReplicaSet may be seen before the orphan and create two
        // pods, then adopt the orphan and delete one, as in Kubernetes. It settles at two.
        var pods = try await c.pods().filter { !$0.isDeleting }
        #expect(pods.count == 2, "the orphan counts as one of the two")
        let orphan = try #require(pods.first { $0.metaName == "orphan" })
        #expect(orphan.controllerRef?["name"] == "web")
        // Relabel it: released, and replaced.
        _ = try await c.client.patch(.pods, namespace: "default", name: "orphan", ["metadata": ["labels": ["app": "other"]]])
        try await c.until("a replacement") { try await c.pods().filter { !$0.isDeleting }.count == 3 }
        try await c.settle()
        pods = try await c.pods().filter { !$0.isDeleting }
        #expect(pods.first { $0.metaName == "orphan" }?.ownerReferences.isEmpty == true)
        #expect(pods.filter { $0.controllerRef?["name"] == "web" }.count == 2)
        await c.stop()
    }

    @Test func replacesDeletedPodsAndScalesDown() async throws {
        let c = try await TestCluster()
        _ = try await c.apply(Self.replicaSet("web", replicas: 4))
        try await c.until("4 ready") { try await rs(c, "web")[path: ["status", "readyReplicas"]] == 4 }
        let victim = try #require(try await c.pods().first)
        _ = try await c.client.delete(.pods, namespace: "default", name: victim.metaName)
        try await c.advance(until: "a replacement", limit: 5) {
            let pods = try await c.pods()
            return pods.count == 4 && !pods.contains { $0.metaName == victim.metaName }
        }
        _ = try await c.client.patch(.replicaSets, namespace: "default", name: "web", ["spec": ["replicas": 1]])
        try await c.advance(until: "1 pod", limit: 5) { try await c.pods().count == 1 }
        try await c.settle()
        #expect(try await rs(c, "web")[path: ["status", "replicas"]] == 1)
        await c.stop()
    }

    @Test func scaleDownPicksTheLeastValuablePodsFirst() {
        func pod(_ name: String, node: String?, phase: String, ready: Bool, created: String) -> JSONValue {
            var p: JSONValue = ["metadata": ["name": .string(name), "creationTimestamp": .string(created)], "spec": .emptyObject,
                                "status": ["phase": .string(phase), "conditions": [["type": "Ready", "status": ready ? "True" : "False",
                                                                                   "lastTransitionTime": .string(created)]]]]
            if let node { p.set(["spec", "nodeName"], .string(node)) }
            return p
        }
        let pods = [
            pod("running-old", node: "n1", phase: "Running", ready: true, created: "2026-01-01T00:00:00Z"),
            pod("running-new", node: "n2", phase: "Running", ready: true, created: "2026-01-02T00:00:00Z"),
            pod("unscheduled", node: nil, phase: "Pending", ready: false, created: "2026-01-01T00:00:00Z"),
            pod("pending", node: "n3", phase: "Pending", ready: false, created: "2026-01-01T00:00:00Z"),
            pod("not-ready", node: "n4", phase: "Running", ready: false, created: "2026-01-01T00:00:00Z"),
        ]
        #expect(PodRanking.podsToDelete(pods, count: 4).map(\.metaName) == ["unscheduled", "pending", "not-ready", "running-new"])
    }

    @Test func slowStartStopsAtTheFirstFailingBatch() async throws {
        let c = try await TestCluster(controllers: false)
        let calls = Counter()
        let controller = c.controllers.replicaSetController
        let (succeeded, error) = await controller.slowStartBatch(20) {
            if calls.increment() > 4 { throw TestCluster.TimedOut(what: "quota") }
        }
        // Batches of 1, 2 and 4: the third batch fails, no fourth batch starts.
        #expect(calls.value == 7)
        #expect(succeeded == 4 && error != nil)
        await c.stop()
    }

    @Test func informerRelistReportsWhatWasMissed() {
        let informer = Informer(client: LocalAPIClientStub(), resource: .pods)
        let seen = Recorder()
        informer.addHandler(Informer.Handler(onAdd: { seen.add("add " + $0.metaName) }, onUpdate: { seen.add("update " + $1.metaName) },
                                             onDelete: { seen.add("delete " + $0.metaName) }))
        func pod(_ name: String, rv: String, owner: String) -> JSONValue {
            ["metadata": ["name": .string(name), "namespace": "ns", "resourceVersion": .string(rv), "ownerReferences": [["uid": .string(owner), "controller": true]]]]
        }
        informer.apply(.listed([pod("a", rv: "1", owner: "x"), pod("b", rv: "2", owner: "x")], resourceVersion: "2"))
        #expect(informer.owned(by: "x").count == 2)
        informer.apply(.listed([pod("b", rv: "5", owner: "y")], resourceVersion: "5"))
        #expect(seen.items == ["add a", "add b", "delete a", "update b"])
        #expect(informer.owned(by: "x").isEmpty && informer.owned(by: "y").map(\.metaName) == ["b"])
        #expect(informer.list(namespace: "ns").count == 1)
    }
}

extension ReplicaSetTests {
    @Test func informerIndexesByNamespaceLabelAndOwner() throws {
        let informer = Informer(client: LocalAPIClientStub(), resource: .pods)
        func pod(_ name: String, ns: String, app: String, tier: String) -> JSONValue {
            ["metadata": ["name": .string(name), "namespace": .string(ns), "resourceVersion": "1", "labels": ["app": .string(app), "tier": .string(tier)]]]
        }
        informer.apply(.listed([pod("a", ns: "x", app: "web", tier: "fe"), pod("b", ns: "x", app: "web", tier: "be"),
                                pod("c", ns: "y", app: "web", tier: "fe"), pod("d", ns: "x", app: "db", tier: "be")], resourceVersion: "1"))
        func names(_ ns: String?, _ sel: String) throws -> [String] {
            informer.list(namespace: ns, selector: try LabelSelector.parse(sel)).map(\.metaName).sorted()
        }
        #expect(try names("x", "app=web") == ["a", "b"])
        #expect(try names(nil, "app=web,tier=fe") == ["a", "c"])
        #expect(try names("x", "tier!=be") == ["a"])
        #expect(try names(nil, "app in (db)") == ["d"])
        informer.apply(.modified(pod("a", ns: "x", app: "api", tier: "fe")))
        #expect(try names("x", "app=web") == ["b"])
        #expect(try names("x", "app=api") == ["a"])
    }
}

final class Counter: Sendable {
    private let n = Mutex(0)
    func increment() -> Int { n.withLock { $0 += 1; return $0 } }
    var value: Int { n.withLock { $0 } }
}

final class Recorder: Sendable {
    private let list = Mutex<[String]>([])
    func add(_ s: String) { list.withLock { $0.append(s) } }
    var items: [String] { list.withLock { $0 } }
}

/// A client for code paths that never call it.
struct LocalAPIClientStub: APIClient {
    func send(method: String, path: String, query: [(String, String)], body: [UInt8]?, contentType: String?, accept: String?) async throws -> APIResponse {
        APIResponse(status: 500, contentType: "", body: [])
    }
    func watch(path: String, query: [(String, String)], accept: String?) -> AsyncThrowingStream<WatchEventLine, any Error> {
        AsyncThrowingStream { $0.finish() }
    }
}
