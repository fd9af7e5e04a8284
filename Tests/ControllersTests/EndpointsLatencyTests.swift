import Controllers
import Foundation
import KplaneTestSupport
import KubeClient
import KubeModel
import Testing

/// How soon a pod turning Ready shows in its Service's EndpointSlice as an informer sees it (the
/// proxy's view): the goal is p99 within 100 ms; kube-proxy's default sync alone is up to 1 s.
/// Run alone with `KPLANE_BENCH=1 swift test --filter EndpointsLatencyTests` to check the goal.
@Suite struct EndpointsLatencyTests {
    @Test func aPodTurningReadyReachesTheSliceWithinAHundredMilliseconds() async throws {
        let c = try await TestCluster(nodes: 0)
        _ = try await c.apply(["apiVersion": "v1", "kind": "Node", "metadata": ["name": "manual"]])
        _ = try await c.apply(EndpointsControllersTests.service("web"))
        let count = 50
        for i in 0..<count {
            let pod = try await c.apply(["apiVersion": "v1", "kind": "Pod",
                                         "metadata": ["name": .string("web-\(i)"), "namespace": "default", "labels": ["app": "web"]],
                                         "spec": ["nodeName": "manual", "containers": [["name": "app", "image": "app:1"]]]])
            try await setReady(c, pod.metaName, ip: "10.244.9.\(i + 2)", ready: false)
        }
        let slices = c.controllers.informers.informer(EndpointSliceController.endpointSlices)
        func ready(_ name: String) -> Bool {
            slices.list(namespace: "default").flatMap { EndpointSlice($0).endpoints }.contains { $0.targetRef?.name == name && $0.ready == true }
        }
        try await c.until("all endpoints listed") {
            slices.list(namespace: "default").flatMap { EndpointSlice($0).endpoints }.count == count
        }
        var latencies: [Duration] = [], writes: [Duration] = []
        for i in 0..<count {
            let started = ContinuousClock.now
            try await setReady(c, "web-\(i)", ip: "10.244.9.\(i + 2)", ready: true)
            writes.append(ContinuousClock.now - started)
            while !ready("web-\(i)") {
                guard ContinuousClock.now - started < .seconds(10) else { throw TestCluster.TimedOut(what: "web-\(i) ready") }
                try await Task.sleep(for: .microseconds(200))
            }
            latencies.append(ContinuousClock.now - started)
        }
        latencies.sort()
        writes.sort()
        let p50 = latencies[count / 2], p99 = latencies[count * 99 / 100]
        // The pod's own status write (a committed store write) is part of it.
        print("endpoints update latency over \(count) pods turning Ready: p50 \(p50), p99 \(p99); of which the pod status write p50 \(writes[count / 2])")
        // A figure, asserted only when measured alone (`KPLANE_BENCH=1`): beside the whole suite
        // on two cores, scheduling delays dominate it.
        if ProcessInfo.processInfo.environment["KPLANE_BENCH"] != nil { #expect(p99 < .milliseconds(100)) }
        await c.stop()
    }

    func setReady(_ c: TestCluster, _ name: String, ip: String, ready: Bool) async throws {
        let status: JSONValue = ["phase": "Running", "podIP": .string(ip), "podIPs": [["ip": .string(ip)]],
                                 "conditions": [["type": "Ready", "status": .string(ready ? "True" : "False"),
                                                 "lastTransitionTime": .string(Timestamp.format(c.clock.now()))]]]
        _ = try await c.client.patch(.pods, namespace: "default", name: name, ["status": status], type: "application/merge-patch+json", subresource: "status")
    }
}
