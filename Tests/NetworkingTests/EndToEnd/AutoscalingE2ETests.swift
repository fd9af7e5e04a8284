import Foundation
import KplaneTestSupport
import Networking
import Testing

/// The seed's HPA for real, under `kplane up --process-nodes 1` with short HPA periods: load
/// through the Ingress on the app's CPU burner (`kplane load`) drives its pods' CPU past 70%,
/// the HPA scales the Deployment up, and once the load stops, back to its minimum after the
/// stabilization window; `kubectl get hpa` and `kubectl top pods` show it as they would on a
/// cluster with metrics-server.
@Suite(.serialized, .timeLimit(.minutes(10)))
struct AutoscalingE2ETests {
    let cluster: SeedCluster
    var server: ServerProcess { cluster.server }
    var kubectl: Kubectl { cluster.kubectl }
    var ingressPort: Int { cluster.ingressPort }

    init() async throws {
        cluster = try await SeedCluster(extraArgs: ["--horizontal-pod-autoscaler-sync-period=3s",
                                                    "--horizontal-pod-autoscaler-downscale-stabilization=20s"])
    }

    @discardableResult
    func ok(_ args: String...) async throws -> String { try await cluster.ok(args) }

    func replicas() async throws -> Int { Int(try await ok("get", "hpa", "myapp-hpa", "-o", "jsonpath={.status.currentReplicas}")) ?? 0 }

    @Test func theSeedsHPAScalesTheAppUpUnderLoadAndDownWhenItStops() async throws {
        try await ok("apply", "-f", kubectl.manifests)
        try await ok("rollout", "status", "deployment/myapp", "--timeout=180s")
        // Idle: the HPA reads the pods' CPU (a few millicores), and brings 3 down to its minimum 2.
        try await eventually("the HPA at its minimum", seconds: 120, interval: 1) { try await replicas() == 2 }
        let idle = try await ok("get", "hpa", "myapp-hpa", "--no-headers")
        #expect(idle.range(of: #"cpu: \d+%/70%"#, options: .regularExpression) != nil, "\(idle)")

        // Load: 4 clients on /burn?ms=150 through the Ingress (what `kplane load` sends) keep each
        // pod near its 500m limit.
        let generator = LoadGenerator(url: "http://127.0.0.1:\(ingressPort)/burn?ms=150", host: "myapp.example.com", concurrency: 4, duration: 300)
        let load = Task { await generator.run { _, _ in } }
        defer { load.cancel() }
        try await eventually("a scale-up", seconds: 90, interval: 1) { try await replicas() > 2 }
        let events = try await ok("get", "events", "--field-selector", "involvedObject.name=myapp-hpa,reason=SuccessfulRescale",
                                  "-o", "jsonpath={range .items[*]}{.message}{\"\\n\"}{end}")
        #expect(events.contains("reason: cpu resource utilization (percentage of request) above target"), "\(events)")
        let top = try await ok("top", "pods", "-l", "app=myapp", "--no-headers")
        let busiest = top.split(separator: "\n").compactMap { Int($0.split(separator: " ")[1].dropLast()) }.max() ?? 0
        #expect(busiest > 140, "over 70% of the 200m request:\n\(top)")

        // No load: back to 2 once the 20 s window has only low recommendations.
        load.cancel()
        await load.value
        #expect(generator.totals.requests > 0 && generator.totals.failed == 0, "\(generator.totals.codes)")
        try await eventually("the HPA back at its minimum", seconds: 120, interval: 1) { try await replicas() == 2 }
        let down = try await ok("get", "events", "--field-selector", "involvedObject.name=myapp-hpa,reason=SuccessfulRescale",
                                "-o", "jsonpath={range .items[*]}{.message}{\"\\n\"}{end}")
        #expect(down.contains("New size: 2; reason: All metrics below target"), "\(down)")
        let server = server
        try await offPool { server.stop() }
    }
}
