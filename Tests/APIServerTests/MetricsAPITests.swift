import AsyncHTTPClient
import Foundation
import Hummingbird
import KplaneTestSupport
import NIOCore
import NIOHTTP1
import NIOPosix
import Testing
@testable import APIServer
@testable import KubeModel

/// A kubelet's `/stats/summary` that answers what the test sets.
private struct FakeKubelet: HTTPResponder {
    typealias Context = BasicRequestContext
    let summary: String
    func respond(to request: Request, context: Context) async throws -> Response {
        guard request.uri.path == "/stats/summary" else { return Response(status: .notFound) }
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: summary)))
    }
}

/// An in-process API server with a fake kubelet on loopback.
private struct MetricsFixture {
    let server: APIServer
    let port: Int
    let kubeletPort: Int
    let tasks: [Task<Void, any Error>]
    var api: APIService { server.api }

    static let sampled = "2026-12-02T10:00:05Z"
    static let summary = """
        {"node":{"nodeName":"proc","cpu":{"time":"\(sampled)","usageNanoCores":1500000000,"usageCoreNanoSeconds":9},
                 "memory":{"time":"\(sampled)","workingSetBytes":2147483648}},
         "pods":[{"podRef":{"name":"proc-pod","namespace":"default","uid":"u"},"startTime":"2026-12-02T09:00:00Z",
                  "containers":[{"name":"app","cpu":{"time":"\(sampled)","usageNanoCores":250000000,"usageCoreNanoSeconds":7},
                                 "memory":{"time":"\(sampled)","workingSetBytes":27693056}},
                                {"name":"sidecar","cpu":{"time":"2026-12-02T10:00:04Z","usageNanoCores":1162961,"usageCoreNanoSeconds":7},
                                 "memory":{"time":"\(sampled)","workingSetBytes":1048576}}]},
                 {"podRef":{"name":"young","namespace":"default","uid":"y"},"startTime":"2026-12-02T10:00:00Z",
                  "containers":[{"name":"app","cpu":{"time":"\(sampled)","usageCoreNanoSeconds":7},"memory":{"time":"\(sampled)","workingSetBytes":1}}]}]}
        """

    static func start() async throws -> MetricsFixture {
        var config = APIServerConfig(dataDir: temporaryDirectory())
        config.port = 0
        let server = try await APIServer(config: config)
        let (ports, ready) = AsyncStream.makeStream(of: Int.self)
        let apiTask = Task { try await server.run { ready.yield($0) } }
        let (kubeletPorts, kubeletReady) = AsyncStream.makeStream(of: Int.self)
        let kubelet = Application(responder: FakeKubelet(summary: summary), configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                                  onServerRunning: { kubeletReady.yield($0.localAddress?.port ?? 0) })
        let kubeletTask = Task { try await kubelet.runService() }
        var a = ports.makeAsyncIterator(), b = kubeletPorts.makeAsyncIterator()
        let port = try #require(await a.next()), kubeletPort = try #require(await b.next())
        return MetricsFixture(server: server, port: port, kubeletPort: kubeletPort, tasks: [apiTask, kubeletTask])
    }

    func stop() { tasks.forEach { $0.cancel() } }

    func get(_ path: String, method: HTTPMethod = .GET, accept: String = "application/json") async throws -> (status: Int, body: JSONValue) {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = method
        request.headers.add(name: "Accept", value: accept)
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 8 << 20)
        return (Int(response.status.code), try JSONParser.parse(bytes.readableBytesView))
    }

    /// A node: simulated (labelled as a fleet labels it), or a process node whose kubelet is
    /// the fake one (`kubeletPort`), or one that nothing answers for (port 1).
    func node(_ name: String, simulated: Bool, kubeletPort: Int? = nil) async throws {
        var node: JSONValue = ["apiVersion": "v1", "kind": "Node", "metadata": ["name": .string(name), "labels": ["kubernetes.io/hostname": .string(name)]]]
        if simulated { node.set(["metadata", "labels", "type"], "kplane-simulated") }
        _ = try await api.create(resource("", "v1", "nodes"), namespace: nil, body: node)
        let address = simulated ? "10.0.0.9" : "127.0.0.1"
        _ = try await api.patch(resource("", "v1", "nodes"), namespace: nil, name: name, type: .merge, patch: ["status": [
            "addresses": [["type": "InternalIP", "address": .string(address)]],
            "daemonEndpoints": ["kubeletEndpoint": ["Port": .int(Int64(kubeletPort ?? self.kubeletPort))]],
            "allocatable": ["cpu": "4", "memory": "16Gi"]]], subresource: .status)
    }

    /// A running pod on `node`, owned by `owner` (a ReplicaSet's name and uid) when given.
    func pod(_ name: String, node: String, cpu: String = "200m", labels: JSONValue = ["app": "web"],
             annotations: JSONValue? = nil, owner: (String, String)? = nil, containers: [String] = ["app"]) async throws {
        var meta: JSONValue = ["name": .string(name), "labels": labels]
        if let annotations { meta["annotations"] = annotations }
        if let (rs, uid) = owner {
            meta["ownerReferences"] = [["apiVersion": "apps/v1", "kind": "ReplicaSet", "name": .string(rs), "uid": .string(uid), "controller": true]]
        }
        let cs: [JSONValue] = containers.map { ["name": .string($0), "image": "web", "resources": ["requests": ["cpu": .string(cpu), "memory": "64Mi"]]] }
        _ = try await api.create(resource("", "v1", "pods"), namespace: "default",
                                 body: ["apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": ["nodeName": .string(node), "containers": .array(cs)]])
        _ = try await api.patch(resource("", "v1", "pods"), namespace: "default", name: name, type: .merge,
                                patch: ["status": ["phase": "Running", "startTime": .string(Timestamp.format(Date()))]], subresource: .status)
    }

    /// A Deployment with `annotations` and its ReplicaSet `web-1`; returns the ReplicaSet's uid.
    func deployment(annotations: JSONValue) async throws -> String {
        let template: JSONValue = ["metadata": ["labels": ["app": "web"]], "spec": ["containers": [["name": "app", "image": "web"]]]]
        let d = try await api.create(resource("apps", "v1", "deployments"), namespace: "default", body: [
            "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "web", "annotations": annotations],
            "spec": ["selector": ["matchLabels": ["app": "web"]], "template": template]]).object
        let rs = try await api.create(resource("apps", "v1", "replicasets"), namespace: "default", body: [
            "apiVersion": "apps/v1", "kind": "ReplicaSet",
            "metadata": ["name": "web-1", "ownerReferences": [["apiVersion": "apps/v1", "kind": "Deployment", "name": "web",
                                                                "uid": .string(d.metadata.uid), "controller": true]]],
            "spec": ["selector": ["matchLabels": ["app": "web"]], "template": template]]).object
        return rs.metadata.uid
    }
}

private func usage(_ item: JSONValue?, _ resource: String, container: Int = 0) -> String? {
    let containers = item?["containers"]?.arrayValue ?? []
    return (item?["usage"] ?? (container < containers.count ? containers[container]["usage"] : nil))?[resource]?.stringValue
}

private func item(_ list: JSONValue, _ name: String) -> JSONValue? {
    list["items"]?.arrayValue?.first { $0.metadata.name == name }
}

@Suite struct MetricsAPITests {
    @Test func discoveryListsTheMetricsGroupAsMetricsServerRegistersIt() async throws {
        let f = try await MetricsFixture.start()
        defer { f.stop() }
        let groups = try await f.get("/apis").body["groups"]?.arrayValue ?? []
        #expect(groups.contains { $0["name"] == "metrics.k8s.io" && $0[path: ["preferredVersion", "version"]] == "v1beta1" })
        let resources = try await f.get("/apis/metrics.k8s.io/v1beta1").body["resources"]?.arrayValue ?? []
        #expect(resources.map { "\($0["name"]?.stringValue ?? "") \($0["kind"]?.stringValue ?? "") \($0["namespaced"] == true)" }
                == ["nodes NodeMetrics false", "pods PodMetrics true"])
        #expect(resources.allSatisfy { $0["verbs"] == ["get", "list"] })
        // The core group keeps `pods` and `nodes`.
        #expect(try await f.get("/api/v1/nodes").body["kind"] == "NodeList")
    }

    @Test func simulatedPodsUseTheirOwnersRuleAndNodesTheirPodsSum() async throws {
        let f = try await MetricsFixture.start()
        defer { f.stop() }
        try await f.node("sim-1", simulated: true)
        let rs = try await f.deployment(annotations: [SimulatedUsage.annotation: "cpu=900m shared, memory=100Mi"])
        for i in 1...3 { try await f.pod("web-\(i)", node: "sim-1", owner: ("web-1", rs)) }
        try await f.pod("own", node: "sim-1", labels: ["app": "other"], annotations: [SimulatedUsage.annotation: "cpu=80%"], owner: ("web-1", rs))
        try await f.pod("plain", node: "sim-1", labels: ["app": "other"], containers: ["a", "b"])

        let list = try await f.get("/apis/metrics.k8s.io/v1beta1/namespaces/default/pods")
        #expect(list.status == 200 && list.body["kind"] == "PodMetricsList" && list.body["apiVersion"] == "metrics.k8s.io/v1beta1")
        #expect(list.body["items"]?.arrayValue?.count == 5)
        // 900m shared by the owner's four running pods; the pod's own rule wins for itself.
        #expect(usage(item(list.body, "web-1"), "cpu") == "225m")
        #expect(usage(item(list.body, "web-1"), "memory") == "100Mi")
        #expect(usage(item(list.body, "own"), "cpu") == "160m")
        let web = try #require(item(list.body, "web-2"))
        #expect(web.metadata.labels == ["app": "web"] && web.metadata.namespace == "default")
        #expect(web["window"] == "15s" && web["timestamp"]?.stringValue.flatMap(Timestamp.parse) != nil)
        // Without a rule: a steady share of the requests, split between the containers.
        let plain = try #require(item(list.body, "plain"))
        #expect(plain["containers"]?.arrayValue?.map { $0["name"] } == ["a", "b"])
        #expect(usage(plain, "cpu", container: 0) == usage(plain, "cpu", container: 1))

        let selected = try await f.get("/apis/metrics.k8s.io/v1beta1/namespaces/default/pods?labelSelector=app%3Dweb")
        #expect(selected.body["items"]?.arrayValue?.map { $0.metadata.name }.sorted() == ["web-1", "web-2", "web-3"])
        let all = try await f.get("/apis/metrics.k8s.io/v1beta1/pods")
        #expect(all.body["items"]?.arrayValue?.count == 5)
        let one = try await f.get("/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/own")
        #expect(one.body["kind"] == "PodMetrics" && usage(one.body, "cpu") == "160m")

        // The node uses what its pods use.
        let node = try await f.get("/apis/metrics.k8s.io/v1beta1/nodes/sim-1").body
        let pods = list.body["items"]?.arrayValue ?? []
        let cpu = pods.flatMap { $0["containers"]?.arrayValue ?? [] }.reduce(0.0) { $0 + (Quantity(usage($1, "cpu") ?? "0")?.value ?? 0) }
        #expect(node["kind"] == "NodeMetrics" && abs((Quantity(usage(node, "cpu") ?? "")?.value ?? 0) - cpu) < 1e-6)
        #expect(node.metadata.labels["type"] == "kplane-simulated")

        // Changing the owner's rule changes the usage at the next read, without a rollout.
        _ = try await f.api.patch(resource("apps", "v1", "deployments"), namespace: "default", name: "web", type: .merge,
                                  patch: ["metadata": ["annotations": [SimulatedUsage.annotation: "cpu=1 to 3 over 2m",
                                                                       SimulatedUsage.sinceAnnotation: .string(Timestamp.format(Date().addingTimeInterval(-60)))]]])
        let ramped = try await f.get("/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/web-1").body
        let cores = Quantity(usage(ramped, "cpu") ?? "")?.value ?? 0
        #expect(cores > 1.95 && cores < 2.1, "halfway up the ramp: \(cores)")
    }

    @Test func processPodsUseWhatTheirKubeletReports() async throws {
        let f = try await MetricsFixture.start()
        defer { f.stop() }
        try await f.node("proc", simulated: false)
        try await f.pod("proc-pod", node: "proc", containers: ["app", "sidecar"])
        try await f.pod("young", node: "proc")
        let list = try await f.get("/apis/metrics.k8s.io/v1beta1/namespaces/default/pods").body
        // A pod sampled once (no CPU rate yet) has no metrics, as with metrics-server.
        #expect(list["items"]?.arrayValue?.map { $0.metadata.name } == ["proc-pod"])
        let m = try #require(item(list, "proc-pod"))
        #expect(usage(m, "cpu") == "250m" && usage(m, "memory") == "27044Ki")
        #expect(usage(m, "cpu", container: 1) == "1162961n" && usage(m, "memory", container: 1) == "1Mi")
        #expect(m["timestamp"]?.stringValue == MetricsFixture.sampled && m["window"] == "10s")
        let node = try await f.get("/apis/metrics.k8s.io/v1beta1/nodes").body
        #expect(usage(item(node, "proc"), "cpu") == "1500m" && usage(item(node, "proc"), "memory") == "2Gi")

        let young = try await f.get("/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/young")
        #expect(young.status == 404 && young.body["message"] == "podmetrics.metrics.k8s.io \"default/young\" not found")
    }

    @Test func aKubeletThatDoesNotAnswerLeavesItsPodsWithoutMetrics() async throws {
        let f = try await MetricsFixture.start()
        defer { f.stop() }
        try await f.node("gone", simulated: false, kubeletPort: 1)
        try await f.pod("p", node: "gone")
        #expect(try await f.get("/apis/metrics.k8s.io/v1beta1/namespaces/default/pods").body["items"] == [])
        let node = try await f.get("/apis/metrics.k8s.io/v1beta1/nodes/gone")
        #expect(node.status == 404 && node.body["message"] == "nodemetrics.metrics.k8s.io \"gone\" not found")
        #expect(node.body["details"] == ["name": "gone", "group": "metrics.k8s.io", "kind": "nodemetrics"])
    }

    @Test func onlyGetAndListAreServed() async throws {
        let f = try await MetricsFixture.start()
        defer { f.stop() }
        let missing = try await f.get("/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/nope")
        #expect(missing.status == 404 && missing.body["reason"] == "NotFound")
        #expect(try await f.get("/apis/metrics.k8s.io/v1beta1/namespaces/default/pods?watch=true").status == 405)
        #expect(try await f.get("/apis/metrics.k8s.io/v1beta1/namespaces/default/pods", method: .POST).status == 405)
        #expect(try await f.get("/apis/metrics.k8s.io/v1beta1/nodes/x", method: .DELETE).status == 405)
        #expect(try await f.get("/apis/metrics.k8s.io/v1beta1/nodes?labelSelector=a%20%3D%3D%3D%20b").status == 400)
    }

    @Test func aTableHasMetricsServersColumns() async throws {
        let f = try await MetricsFixture.start()
        defer { f.stop() }
        try await f.node("sim-1", simulated: true)
        try await f.pod("p", node: "sim-1", annotations: [SimulatedUsage.annotation: "cpu=300m, memory=32Mi"])
        let table = try await f.get("/apis/metrics.k8s.io/v1beta1/namespaces/default/pods", accept: "application/json;as=Table;v=v1;g=meta.k8s.io").body
        #expect(table["kind"] == "Table")
        #expect(table["columnDefinitions"]?.arrayValue?.map { $0["name"] } == ["Name", "CPU", "Memory", "Window"])
        #expect(table["rows"]?.arrayValue?.first?["cells"] == ["p", "300m", "32Mi", "15s"])
    }

    @Test func anUnreadableUsageRuleIsRefused() async throws {
        let f = try await MetricsFixture.start()
        defer { f.stop() }
        await #expect(throws: APIError.self) {
            _ = try await f.api.create(resource("", "v1", "configmaps"), namespace: "default", body: [
                "apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "x", "annotations": [SimulatedUsage.annotation: "cpu=lots"]]])
        }
        do {
            try await f.pod("p", node: "n", annotations: [SimulatedUsage.annotation: "gpu=1"])
            Issue.record("a pod with an unreadable rule was created")
        } catch let e as APIError {
            #expect(e.code == 422)
            #expect(e.message.contains("metadata.annotations[kplane.dev/simulated-usage]: Invalid value: \"gpu=1\": \"gpu=1\": the resource must be cpu or memory"))
        }
    }
}
