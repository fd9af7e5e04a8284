import APIServer
import Controllers
import Foundation
import KubeClient
import KubeModel
import Nodes
import Scheduler

/// A whole cluster in the test process on a `ManualClock`: API server (no socket), controllers,
/// scheduler and simulated nodes over the in-process client, sharing informers as in
/// `kplane up`. Time moves only when the test says so.
public final class TestCluster: Sendable {
    public let clock = ManualClock()
    public let server: APIServer
    public let client: LocalAPIClient
    public let controllers: ControllerManager
    public let scheduler: Scheduler
    public let fleet: SimulatedFleet
    public let dataDir: String
    private let task: Task<Void, Never>

    public convenience init(nodes: Int = 3, startupSeconds: Double = 0, terminationCap: Double = 1, controllers runControllers: Bool = true) async throws {
        try await self.init(fleet: FleetConfig(nodes: nodes, startupSeconds: startupSeconds, terminationCapSeconds: terminationCap),
                            controllers: runControllers)
    }

    public init(fleet config: FleetConfig, controllers runControllers: Bool = true) async throws {
        dataDir = NSTemporaryDirectory() + "kplane-ctl-" + UUID().uuidString
        let clock = self.clock
        var serverConfig = APIServerConfig(dataDir: dataDir)
        serverConfig.port = 0
        server = try await APIServer(config: serverConfig, now: { clock.now() })
        client = server.localClient
        let informers = SharedInformers(client: client)
        let pods = informers.informer(.pods), nodes = informers.informer(.nodes)
        controllers = ControllerManager(client: client, clock: clock, workers: 3, informers: informers)
        scheduler = Scheduler(client: client, clock: clock, pods: pods, nodes: nodes)
        fleet = SimulatedFleet(client: client, clock: clock, config: config, pods: pods, nodes: nodes)
        try await fleet.register()
        let (fleet, controllers, scheduler) = (fleet, controllers, scheduler)
        let ready = AsyncStream.makeStream(of: Void.self)
        task = Task {
            await withTaskGroup(of: Void.self) { group in
                if runControllers {
                    group.addTask { await controllers.run(onSynced: { ready.continuation.yield() }) }
                } else {
                    group.addTask { await pods.run() }
                    group.addTask { await nodes.run() }
                    ready.continuation.yield()
                }
                group.addTask { await fleet.run(workers: 4, ownInformers: false, onSynced: { ready.continuation.yield() }) }
                group.addTask { await scheduler.run() }
            }
        }
        var synced = 0
        for await _ in ready.stream {
            synced += 1
            if synced == 2 { break }
        }
    }

    public func stop() async {
        task.cancel()
        await task.value
        try? FileManager.default.removeItem(atPath: dataDir)
    }

    /// Waits (in real time, at most 150 s: the whole suite shares two cores) until `condition`
    /// holds. The clock moves 5 ms per poll, so that retries after a conflict (backoff from 5 ms)
    /// happen, but nothing slower.
    public func until(_ what: String = "", _ condition: () async throws -> Bool) async throws {
        let deadline = Date().addingTimeInterval(150)
        while Date() < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(2))
            clock.advance(by: 0.005)
        }
        throw TimedOut(what: what)
    }

    public struct TimedOut: Error, CustomStringConvertible {
        public let what: String
        public init(what: String) { self.what = what }
        public var description: String { "timed out waiting for \(what)" }
    }

    /// Advances the clock a second at a time until `condition` holds (at most `limit` seconds),
    /// letting the cluster react between steps.
    public func advance(until what: String, limit: Int = 600, _ condition: () async throws -> Bool) async throws {
        for _ in 0...limit {
            try await settle()
            if try await condition() { return }
            clock.advance(by: 1)
        }
        throw TimedOut(what: what)
    }

    /// Returns when every queue is idle and stays so for 20 polls. Each idle poll moves the
    /// clock 5 ms, so retries after conflicts (backoff 5, 10, 20, 40 ms) still happen; a busy
    /// poll does not, or on a loaded machine the clock would make work (leases, heartbeats,
    /// resyncs) faster than the starved workers finish it, and the cluster would never settle.
    public func settle() async throws {
        var quiet = 0
        // Generous for a loaded 2-core machine; a healthy cluster settles in milliseconds.
        let deadline = Date().addingTimeInterval(150)
        while quiet < 20 {
            guard Date() < deadline else { throw TimedOut(what: "the cluster to settle") }
            let idle = controllers.isIdle && fleet.isIdle && scheduler.isIdle
            quiet = idle ? quiet + 1 : 0
            try await Task.sleep(for: .milliseconds(1))
            if idle { clock.advance(by: 0.005) }
        }
    }

    // MARK: - API helpers

    public func apply(_ object: JSONValue) async throws -> JSONValue {
        let r = try Self.resource(of: object)
        let ns = r.namespaced ? (object.metaNamespace.isEmpty ? "default" : object.metaNamespace) : nil
        return try await client.create(r, namespace: ns, object)
    }

    public static func resource(of object: JSONValue) throws -> APIResource {
        guard let info = ResourceCatalog.find(apiVersion: object["apiVersion"]?.stringValue ?? "", kind: object["kind"]?.stringValue ?? "") else {
            throw TimedOut(what: "a resource for \(object["kind"] ?? "")")
        }
        return APIResource(info)
    }

    public func deployment(_ name: String, namespace: String = "default") async throws -> JSONValue {
        try await client.get(.deployments, namespace: namespace, name: name)
    }

    public func pods(namespace: String = "default") async throws -> [JSONValue] {
        try await client.list(.pods, namespace: namespace)["items"]?.arrayValue ?? []
    }

    public func replicaSets(namespace: String = "default") async throws -> [JSONValue] {
        try await client.list(.replicaSets, namespace: namespace)["items"]?.arrayValue ?? []
    }

    public func setImage(_ name: String, _ image: String) async throws {
        _ = try await client.patch(.deployments, namespace: "default", name: name,
                                   ["spec": ["template": ["spec": ["containers": [["name": "app", "image": .string(image)]]]]]])
    }

    /// Rolled out as `kubectl rollout status` decides it.
    public func rolledOut(_ name: String, image: String? = nil) async throws -> Bool {
        let d = try await deployment(name)
        if let image, d[path: ["spec", "template", "spec", "containers"]]?.arrayValue?.first?["image"]?.stringValue != image { return false }
        let s = d["status"] ?? .emptyObject
        let want = d[path: ["spec", "replicas"]]?.intValue ?? 1
        func f(_ k: String) -> Int64 { s[k]?.intValue ?? 0 }
        return f("observedGeneration") >= d.generation && f("updatedReplicas") == want && f("replicas") == f("updatedReplicas")
            && f("availableReplicas") == f("updatedReplicas")
    }

    public static func deployment(_ name: String, replicas: Int = 3, image: String = "app:1", readinessDelay: Int? = nil,
                           strategy: JSONValue? = nil, extraSpec: [String: JSONValue] = [:]) -> JSONValue {
        var container: JSONValue = ["name": "app", "image": .string(image)]
        if let readinessDelay {
            container["readinessProbe"] = ["httpGet": ["path": "/", "port": 80], "initialDelaySeconds": .int(Int64(readinessDelay))]
        }
        var spec: JSONValue = [
            "replicas": .int(Int64(replicas)),
            "selector": ["matchLabels": ["app": .string(name)]],
            "template": ["metadata": ["labels": ["app": .string(name)]], "spec": ["containers": [container]]],
        ]
        if let strategy { spec["strategy"] = strategy }
        for (k, v) in extraSpec { spec[k] = v }
        return ["apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": .string(name), "namespace": "default"], "spec": spec]
    }
}
