import APIServer
import Foundation
import KubeClient
import KubeModel
import Scheduler

// Scheduler throughput as kube-scheduler's scheduler_perf "SchedulingBasic" measures it: an API
// server (in-process, SQLite in a temporary folder), N nodes, P pending pods, no kubelets; the
// clock runs from the scheduler's start until the last binding is in the store.
// Usage: SchedulerPerf [NODES] [PODS] [RUNS]
let args = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let nodeCount = args.count > 0 ? args[0] : 1000
let podCount = args.count > 1 ? args[1] : 10000
let runs = args.count > 2 ? args[2] : 3

func node(_ i: Int) -> JSONValue {
    let name = JSONValue.string("node-\(i)")
    let capacity: JSONValue = ["cpu": "4", "memory": "16Gi", "pods": "110"]
    return ["apiVersion": "v1", "kind": "Node", "metadata": ["name": name, "labels": ["kubernetes.io/hostname": name]],
            "status": ["capacity": capacity, "allocatable": capacity,
                       "conditions": [["type": "Ready", "status": "True", "lastHeartbeatTime": .string(Timestamp.format(Date()))]]]]
}

func pod(_ i: Int, owner: String) -> JSONValue {
    ["apiVersion": "v1", "kind": "Pod",
     "metadata": ["name": .string("pod-\(i)"), "labels": ["app": "bench"],
                  "ownerReferences": [["apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "bench", "uid": .string(owner), "controller": true]]],
     "spec": ["containers": [["name": "c", "image": "nginx", "resources": ["requests": ["cpu": "10m", "memory": "16Mi"]]]]]]
}

/// Creates `count` objects, `width` at a time.
func createAll(_ client: APIClient, _ r: APIResource, _ ns: String?, _ count: Int, width: Int = 64, _ make: @escaping @Sendable (Int) -> JSONValue) async throws {
    try await withThrowingTaskGroup(of: Void.self) { group in
        var next = 0
        while next < min(width, count) { let i = next; group.addTask { _ = try await client.create(r, namespace: ns, make(i)) }; next += 1 }
        while try await group.next() != nil, next < count { let i = next; group.addTask { _ = try await client.create(r, namespace: ns, make(i)) }; next += 1 }
    }
}

var rates: [Double] = []
for run in 1...runs {
    let dir = NSTemporaryDirectory() + "kplane-schedperf-" + UUID().uuidString
    var config = APIServerConfig(dataDir: dir)
    config.port = 0
    let server = try await APIServer(config: config)
    let client = server.localClient
    try await createAll(client, .nodes, nil, nodeCount, node)
    let owner = UUID().uuidString.lowercased()
    try await createAll(client, .pods, "default", podCount) { pod($0, owner: owner) }
    let pods = Informer(client: client, resource: .pods), nodes = Informer(client: client, resource: .nodes)
    let informers = Task { await withTaskGroup(of: Void.self) { g in g.addTask { await pods.run() }; g.addTask { await nodes.run() } } }
    await pods.waitForSync()
    await nodes.waitForSync()
    let scheduler = Scheduler(client: client, clock: SystemClock(), pods: pods, nodes: nodes)
    let start = Date()
    let running = Task { await scheduler.run() }
    while scheduler.scheduled < podCount { try await Task.sleep(for: .milliseconds(2)) }
    let seconds = Date().timeIntervalSince(start)
    rates.append(Double(podCount) / seconds)
    print(String(format: "run %d: %d pods on %d nodes bound in %.2f s: %.0f pods/s", run, podCount, nodeCount, seconds, Double(podCount) / seconds))
    running.cancel()
    informers.cancel()
    _ = await running.result
    _ = await informers.result
    try? FileManager.default.removeItem(atPath: dir)
}
let median = rates.sorted()[rates.count / 2]
print(String(format: "median scheduler throughput: %.0f pods/s (%d nodes, %d pods, %d runs)", median, nodeCount, podCount, runs))
