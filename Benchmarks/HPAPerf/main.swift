import APIServer
import Controllers
import Foundation
import KubeClient
import KubeModel
import Synchronization

// Issue 14's figures against an in-process API server (SQLite in a temporary folder), with no
// other controllers: (a) one HPA sync, `reconcile` of every HorizontalPodAutoscaler by 5
// workers (ControllerManager's default), each HPA over its Deployment's simulated pods, whose
// usage the metrics API evaluates from `kplane.dev/simulated-usage`; (b) `kubectl top pods -A`'s
// request, GET /apis/metrics.k8s.io/v1beta1/pods, in-process and over HTTP.
// Usage: HPAPerf [HPAS] [PODS_PER_DEPLOYMENT] [RUNS]
let args = CommandLine.arguments.dropFirst().map { Int($0) }
guard !args.contains(nil), args.allSatisfy({ ($0 ?? 0) > 0 }) else {
    print("usage: HPAPerf [HPAS] [PODS_PER_DEPLOYMENT] [RUNS]   (defaults 1000 10 3; each a positive number)")
    exit(2)
}
let numbers = args.compactMap { $0 }
let hpaCount = numbers.count > 0 ? numbers[0] : 1000
let podsPer = numbers.count > 1 ? numbers[1] : 10
let runs = numbers.count > 2 ? numbers[2] : 3
let nodeCount = 100, namespaceCount = min(10, hpaCount), workers = 5, requests = 20
let hpaResource = HorizontalPodAutoscalerController.resource
let tenMinutesAgo = JSONValue.string(Timestamp.format(Date().addingTimeInterval(-600)))

/// Deployment `i` is `d-i` in namespace `hpa-(i % 10)`, its pods labelled `app: d-i`.
@Sendable func namespace(_ i: Int) -> String { "hpa-\(i % namespaceCount)" }
@Sendable func owner(_ kind: String, _ o: JSONValue) -> JSONValue {
    [["apiVersion": "apps/v1", "kind": .string(kind), "name": o[path: ["metadata", "name"]] ?? "", "uid": .string(o.metadata.uid), "controller": true]]
}
let container: JSONValue = ["name": "app", "image": "nginx", "resources": ["requests": ["cpu": "200m", "memory": "64Mi"]]]
@Sendable func workload(_ kind: String, _ i: Int, annotations: JSONValue = .emptyObject, owners: JSONValue = .array([])) -> JSONValue {
    let labels: JSONValue = ["app": .string("d-\(i)")]
    return ["apiVersion": "apps/v1", "kind": .string(kind),
            "metadata": ["name": .string(kind == "Deployment" ? "d-\(i)" : "d-\(i)-rs"), "labels": labels, "annotations": annotations, "ownerReferences": owners],
            "spec": ["replicas": .int(Int64(podsPer)), "selector": ["matchLabels": labels],
                     "template": ["metadata": ["labels": labels], "spec": ["containers": [container]]]]]
}
@Sendable func node(_ i: Int) -> JSONValue {
    ["apiVersion": "v1", "kind": "Node", "metadata": ["name": .string("node-\(i)"), "labels": ["type": .string(SimulatedPodAddress.nodeType)]]]
}
let nodeStatus: JSONValue = ["capacity": ["cpu": "32", "memory": "128Gi", "pods": "250"], "allocatable": ["cpu": "32", "memory": "128Gi", "pods": "250"],
                             "conditions": [["type": "Ready", "status": "True", "lastHeartbeatTime": tenMinutesAgo, "lastTransitionTime": tenMinutesAgo]]]
let runningStatus: JSONValue = ["phase": "Running", "startTime": tenMinutesAgo, "podIP": "10.244.0.1",
                                "conditions": [["type": "Ready", "status": "True", "lastTransitionTime": tenMinutesAgo]]]
@Sendable func hpa(_ i: Int) -> JSONValue {
    ["apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": ["name": .string("d-\(i)")],
     "spec": ["scaleTargetRef": ["apiVersion": "apps/v1", "kind": "Deployment", "name": .string("d-\(i)")], "minReplicas": 1, "maxReplicas": 20,
              "metrics": [["type": "Resource", "resource": ["name": "cpu", "target": ["type": "Utilization", "averageUtilization": 70]]]]]]
}

/// Runs `body(0..<count)`, `width` at a time.
func concurrently(_ count: Int, width: Int, _ body: @escaping @Sendable (Int) async throws -> Void) async throws {
    try await withThrowingTaskGroup(of: Void.self) { group in
        var next = 0
        while next < min(width, count) { let i = next; group.addTask { try await body(i) }; next += 1 }
        while try await group.next() != nil, next < count { let i = next; group.addTask { try await body(i) }; next += 1 }
    }
}

/// Hands out keys to workers, as a work queue would, and keeps the errors they return.
final class KeyFeed: Sendable {
    let keys: [String]
    private let next = Mutex(0)
    let failures = Mutex<[String]>([])
    init(_ keys: [String]) { self.keys = keys }
    func take() -> String? { next.withLock { n in defer { n += 1 }; return n < keys.count ? keys[n] : nil } }
    func failed(_ key: String, _ error: any Error) { failures.withLock { $0.append("\(key): \(error)") } }
}

func percentile(_ xs: [Double], _ p: Double) -> Double {
    let s = xs.sorted()
    return s[max(0, min(s.count - 1, Int((Double(s.count) * p).rounded(.up)) - 1))]
}
func ms(_ d: Duration) -> Double { Double(d.components.seconds) * 1e3 + Double(d.components.attoseconds) / 1e15 }

/// Everything that runs, in one function: its state lives in locals, not in main.swift's globals.
func benchmark() async throws {
    // MARK: the cluster

    let dir = NSTemporaryDirectory() + "kplane-hpaperf-" + UUID().uuidString
    var config = APIServerConfig(dataDir: dir)
    config.port = 0
    let server = try await APIServer(config: config)
    let client = server.localClient
    let setupStart = ContinuousClock.now
    for n in 0..<namespaceCount {
        _ = try await client.create(.namespaces, namespace: nil, ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string("hpa-\(n)")]])
        // The ServiceAccounts controller is not running: the pods' admission needs the default one.
        _ = try await client.create(.builtin("serviceaccounts"), namespace: "hpa-\(n)", ["apiVersion": "v1", "kind": "ServiceAccount", "metadata": ["name": "default"]])
    }
    try await concurrently(nodeCount, width: 16) { i in
        var n = try await client.create(.nodes, namespace: nil, node(i))
        n["status"] = nodeStatus
        _ = try await client.update(.nodes, namespace: nil, n, subresource: "status")
    }
    try await concurrently(hpaCount, width: 32) { i in
        let ns = namespace(i)
        let d = try await client.create(.deployments, namespace: ns, workload("Deployment", i, annotations: [SimulatedUsage.annotation: "cpu=80%"]))
        let rs = try await client.create(.replicaSets, namespace: ns, workload("ReplicaSet", i, owners: owner("Deployment", d)))
        for j in 0..<podsPer {
            let pod: JSONValue = ["apiVersion": "v1", "kind": "Pod",
                                  "metadata": ["name": .string("d-\(i)-\(j)"), "labels": ["app": .string("d-\(i)")], "ownerReferences": owner("ReplicaSet", rs)],
                                  "spec": ["nodeName": .string("node-\((i * podsPer + j) % nodeCount)"), "containers": [container]]]
            var p = try await client.create(.pods, namespace: ns, pod)
            p["status"] = runningStatus
            _ = try await client.update(.pods, namespace: ns, p, subresource: "status")
        }
        _ = try await client.create(hpaResource, namespace: ns, hpa(i))
    }
    print("setup: \(namespaceCount) namespaces, \(nodeCount) nodes, \(hpaCount) Deployments, ReplicaSets and HPAs, \(hpaCount * podsPer) running pods in \(ContinuousClock.now - setupStart)")

    // MARK: (a) one HPA sync

    let clock = SystemClock()
    let controllerClient = client.identified(as: UserAgent.controllerManager)
    let hpas = Informer(client: controllerClient, resource: hpaResource), pods = Informer(client: controllerClient, resource: .pods)
    let informers = Task { await withTaskGroup(of: Void.self) { g in g.addTask { await hpas.run(clock: clock) }; g.addTask { await pods.run(clock: clock) } } }
    await hpas.waitForSync()
    await pods.waitForSync()
    let recorder = EventRecorder(client: controllerClient, component: "horizontal-pod-autoscaler", clock: clock)
    let controller = HorizontalPodAutoscalerController(client: controllerClient, clock: clock, hpas: hpas, pods: pods, recorder: recorder)
    let keys = hpas.list().map(Informer.key).sorted()

    var syncs: [Double] = []
    for run in 1...runs {
        let feed = KeyFeed(keys)
        let start = ContinuousClock.now
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<workers {
                group.addTask {
                    while let key = feed.take() {
                        do { try await controller.reconcile(key) } catch { feed.failed(key, error) }
                    }
                }
            }
        }
        let elapsed = ms(ContinuousClock.now - start)
        syncs.append(elapsed)
        let failed = feed.failures.withLock { $0 }
        print(String(format: "run %d: %d HPAs reconciled in %.0f ms (%.2f ms per HPA), %d failed", run, keys.count, elapsed, elapsed / Double(keys.count),
                     failed.count) + (failed.first.map { " (first: \($0))" } ?? ""))
        // Let the informer see this run's status writes, so the next run starts from them (as a
        // real sync period, 15 s later, would) instead of conflicting on stale objects.
        let settleStart = ContinuousClock.now
        while hpas.list().contains(where: { $0[path: ["status", "currentMetrics"]] == nil }), ContinuousClock.now - settleStart < .seconds(30) {
            try await Task.sleep(for: .milliseconds(20))
        }
    }
    let desired = Dictionary(grouping: hpas.list(), by: { $0[path: ["status", "desiredReplicas"]]?.intValue ?? -1 }).mapValues(\.count)
    print("HPAs by desired replicas (80% used of a 70% target, \(podsPer) pods): " + desired.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", "))

    // MARK: (b) GET /apis/metrics.k8s.io/v1beta1/pods (`kubectl top pods -A`)

    let (ports, ready) = AsyncStream.makeStream(of: Int.self)
    let serving = Task { try await server.run { ready.yield($0) } }
    func first(_ values: AsyncStream<Int>) async -> Int? { for await v in values { return v }; return nil }
    let port = await first(ports) ?? 0
    let http = try HTTPAPIClient(config: RestConfig(server: "http://127.0.0.1:\(port)"))
    var rows: [(String, [Double], Int, Int)] = []
    for (name, c) in [("in-process", client as any APIClient), ("HTTP", http as any APIClient)] {
        var times: [Double] = [], last: APIResponse?
        for i in 0...requests {
            let start = ContinuousClock.now
            let r = try await c.send(method: "GET", path: "/apis/metrics.k8s.io/v1beta1/pods", query: [], body: nil, contentType: nil, accept: "application/json")
            if i > 0 { times.append(ms(ContinuousClock.now - start)) }  // the first is a warm-up
            last = r
        }
        rows.append((name, times, last?.json?["items"]?.arrayValue?.count ?? 0, last?.body.count ?? 0))
    }

    func row(_ figure: String, _ median: Double, _ p99: Double, _ unit: String = "ms", digits: Int = 1) {
        let f = "%9.\(digits)f \(unit) %9.\(digits)f \(unit)"
        print(figure.padding(toLength: 62, withPad: " ", startingAt: 0) + String(format: f, median, p99))
    }
    print("")
    print("figure".padding(toLength: 62, withPad: " ", startingAt: 0) + "   median         p99")
    row("HPA sync: \(keys.count) HPAs, \(hpaCount * podsPer) pods, \(workers) workers, \(runs) runs", percentile(syncs, 0.5), percentile(syncs, 0.99), digits: 0)
    row("  per HPA", percentile(syncs, 0.5) / Double(keys.count), percentile(syncs, 0.99) / Double(keys.count), digits: 2)
    for (name, times, items, bytes) in rows {
        row("GET metrics pods -A, \(name): \(items) items, \(bytes / 1024) KiB", percentile(times, 0.5), percentile(times, 0.99))
    }
    print("(run 1 of the sync also writes every HPA's status and scales; p99 of \(requests) requests is their maximum)")

    serving.cancel()
    informers.cancel()
    _ = await informers.result
    _ = await serving.result
    try? FileManager.default.removeItem(atPath: dir)
}

try await benchmark()
