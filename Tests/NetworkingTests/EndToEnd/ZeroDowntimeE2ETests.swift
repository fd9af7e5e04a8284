import Foundation
import KplaneTestSupport
import Testing

/// Zero downtime, shown: the seed's Deployment (readiness probe; 3 replicas, so the default 25%
/// rounds to `maxUnavailable: 0` and `maxSurge: 1`) behind its Service and Ingress under
/// `kplane up --process-nodes 1`, while real kubectl rolls it out and back and requests flow
/// through the Ingress all along. PM2's `reload` against its `restart`, the Kubernetes way.
@Suite(.serialized, .timeLimit(.minutes(10)))
struct ZeroDowntimeE2ETests {
    let cluster: SeedCluster
    let load: RequestLoad
    var server: ServerProcess { cluster.server }
    var kubectl: Kubectl { cluster.kubectl }

    init() async throws {
        cluster = try await SeedCluster()
        load = RequestLoad(port: cluster.ingressPort)
    }

    /// Stops the load, then the cluster (off the pool: stopping waits for the process).
    func finish(_ clients: Task<Void, Never>) async throws -> RequestLoad.Tally {
        clients.cancel()
        await clients.value
        let server = server
        try await offPool { server.stop() }
        return load.totals
    }

    @discardableResult
    func ok(_ args: String...) async throws -> String { try await cluster.ok(args) }

    /// The seed's manifests applied as written, and the rollout finished.
    func applySeed() async throws {
        let m = kubectl.manifests
        try await ok("apply", "-f", m + "/config.yaml", "-f", m + "/deployment.yaml", "-f", m + "/service-ingress.yaml")
        try await ok("rollout", "status", "deployment/myapp", "--timeout=180s")
    }

    /// Waits until, for a whole second, every answer came from `version`.
    func serving(only version: String, seconds: Double = 30) async throws {
        _ = load.window()
        try await eventually("every answer from \(version)", seconds: seconds, interval: 1) {
            let seen = load.window()
            return !seen.isEmpty && Set(seen.keys) == [version]
        }
    }

    /// `set image` to 2.0.0 then `rollout undo`, each to its end, under load.
    func rollOutAndBack() async throws {
        try await serving(only: "1.0.0")
        try await ok("set", "image", "deployment/myapp", "myapp=myapp:2.0.0")
        try await ok("rollout", "status", "deployment/myapp", "--timeout=180s")
        try await serving(only: "2.0.0")
        try await ok("rollout", "undo", "deployment/myapp")
        try await ok("rollout", "status", "deployment/myapp", "--timeout=180s")
        try await serving(only: "1.0.0")
    }

    /// New pods take traffic only once `/ready` passes, and an old one leaves only when a new
    /// one is ready: no request fails, and the answers go from 1.0.0 to 2.0.0 and back.
    @Test func rollingUpdateAndUndoFailNoRequest() async throws {
        try await applySeed()
        let clients = load.start()
        defer { clients.cancel() }
        try await rollOutAndBack()
        let t = try await finish(clients)
        #expect(t.failed == 0, "\(t.failures)")
        #expect(t.ok > 100, "\(t.ok) answers")
    }

    /// `maxUnavailable: 100%` and no readiness probe: every old pod stops at once and a new one
    /// takes traffic as soon as its process starts, before it listens: PM2's `restart`.
    @Test func allAtOnceWithoutReadinessFailsRequests() async throws {
        try await applySeed()
        try await ok("patch", "deployment", "myapp", "-p",
                     #"{"spec":{"strategy":{"rollingUpdate":{"maxUnavailable":"100%"}},"template":{"spec":{"containers":[{"name":"myapp","readinessProbe":null}]}}}}"#)
        try await ok("rollout", "status", "deployment/myapp", "--timeout=180s")
        let clients = load.start()
        defer { clients.cancel() }
        try await rollOutAndBack()
        let t = try await finish(clients)
        #expect(t.failed > 0, "\(t.ok) answers and no failure")
        #expect(t.ok > 100, "\(t.ok) answers")
    }

    /// A pod deleted under load drains: with a preStop sleep it is marked terminating (not
    /// ready) in the Service's EndpointSlice, so the Ingress stops sending to it, while its
    /// process still runs; SIGTERM comes after the sleep, and no request fails.
    @Test func aDeletedPodLeavesTheEndpointsBeforeItsProcessGetsSIGTERM() async throws {
        try await applySeed()
        try await ok("patch", "deployment", "myapp", "-p",
                     #"{"spec":{"template":{"spec":{"containers":[{"name":"myapp","lifecycle":{"preStop":{"sleep":{"seconds":5}}}}]}}}}"#)
        try await ok("rollout", "status", "deployment/myapp", "--timeout=180s")
        let clients = load.start()
        defer { clients.cancel() }
        try await serving(only: "1.0.0")

        // A pod the Ingress sends requests to.
        let pods = try await ok("get", "endpointslices", "-l", "kubernetes.io/service-name=myapp", "-o",
                                #"jsonpath={range .items[*].endpoints[?(@.conditions.ready==true)]}{.targetRef.name}{"\n"}{end}"#)
        let pod = try #require(pods.split(separator: "\n").first.map(String.init))
        // Its log, followed with timestamps until the container exits.
        let kubectl = kubectl
        let logs = Task { try await kubectl.runOffPool(["logs", "-f", "--timestamps", pod]) }
        try await Task.sleep(for: .seconds(1))
        try await ok("delete", "pod", pod, "--wait=false")

        var leftEndpoints: Date?
        try await eventually("\(pod) terminating and not ready in the EndpointSlice", seconds: 10) {
            let conditions = try await ok("get", "endpointslices", "-l", "kubernetes.io/service-name=myapp", "-o",
                                          #"jsonpath={range .items[*].endpoints[?(@.targetRef.name=="\#(pod)")]}{.conditions.ready} {.conditions.terminating}{end}"#)
            if conditions == "false true" { leftEndpoints = Date() }
            return leftEndpoints != nil
        }
        let log = try await logs.value
        let sigterm = log.out.split(separator: "\n").first { $0.hasSuffix("SIGTERM received: closing the server") }
        let stamp = try #require(sigterm?.split(separator: " ").first.map(String.init), "no SIGTERM in \(pod)'s log: \(log.out)")
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        // RFC 3339 with nanoseconds; the formatter reads up to milliseconds.
        let millis = stamp.replacingOccurrences(of: #"(\.\d{3})\d*Z$"#, with: "$1Z", options: .regularExpression)
        let sigtermAt = try #require(formatter.date(from: millis), "\(stamp)")
        let left = try #require(leftEndpoints)
        #expect(left < sigtermAt, "left the endpoints at \(left), SIGTERM at \(sigtermAt)")
        #expect(sigtermAt.timeIntervalSince(left) > 2, "the preStop sleep of 5 s ran between them")

        try await eventually("\(pod) gone", seconds: 30) {
            try await kubectl.runOffPool(["get", "pod", pod]).code != 0
        }
        let t = try await finish(clients)
        #expect(t.failed == 0, "\(t.failures)")
        #expect(t.ok > 100, "\(t.ok) answers")
    }
}
