import Foundation
import KplaneTestSupport
import Testing

/// The seed's serverless chapter under `kplane up --process-nodes 1`: the seed's app, opted
/// into scale to zero, goes to zero replicas when idle; the next request through its Ingress
/// or its ClusterIP is held while it wakes, then answered by the new pod; events tell it.
@Suite(.serialized, .timeLimit(.minutes(10)))
struct ScaleToZeroE2ETests {
    let cluster: SeedCluster
    var server: ServerProcess { cluster.server }
    var kubectl: Kubectl { cluster.kubectl }
    var ingressPort: Int { cluster.ingressPort }

    init() async throws { cluster = try await SeedCluster() }

    @discardableResult
    func ok(_ args: String...) async throws -> String { try await cluster.ok(args) }

    func replicas() async throws -> String { try await ok("get", "deploy", "myapp", "-o", "jsonpath={.spec.replicas}") }

    func waitForZero() async throws {
        try await eventually("myapp scaled to zero", seconds: 60, interval: 0.5) {
            guard try await replicas() == "0" else { return false }
            return try await ok("get", "pods", "-l", "app=myapp", "-o", "name").isEmpty
        }
    }

    /// One GET with curl: the status code and the body (the app's JSON names its pod).
    func get(_ url: String, host: String? = nil) async throws -> (code: String, body: String, seconds: Double) {
        var args = ["-s", "--max-time", "30", "-w", "\n%{http_code} %{time_total}"]
        if let host { args += ["-H", "Host: \(host)"] }
        let command = ["curl"] + args + [url]
        let r = try await offPool { try ServerProcess.run("/usr/bin/env", command) }
        let lines = r.out.split(separator: "\n", omittingEmptySubsequences: false)
        let last = lines.last.map { $0.split(separator: " ") } ?? []
        return (last.first.map(String.init) ?? "", lines.dropLast().joined(separator: "\n"), last.count > 1 ? Double(last[1]) ?? 0 : 0)
    }

    @Test func anIdleAppGoesToZeroAndTheNextRequestWakesIt() async throws {
        let m = kubectl.manifests
        try await ok("apply", "-f", m + "/config.yaml", "-f", m + "/deployment.yaml", "-f", m + "/service-ingress.yaml")
        // The app ready at start (no warm-up), one replica, idle after 3 s.
        try await ok("set", "env", "deployment/myapp", "WARMUP_MS=0")
        try await ok("scale", "deployment/myapp", "--replicas=1")
        try await ok("annotate", "deployment/myapp", "kplane.dev/scale-to-zero-after=3s")
        try await waitForZero()
        let events = try await ok("get", "events", "--field-selector", "involvedObject.name=myapp,reason=ScaledToZero", "-o", "jsonpath={.items[*].message}")
        #expect(events.contains("No request through its Services for 3s: scaled to zero"))

        // Through the Ingress: held, then answered by the woken pod.
        let viaIngress = try await get("http://127.0.0.1:\(ingressPort)/", host: "myapp.example.com")
        #expect(viaIngress.code == "200", "\(viaIngress)")
        #expect(viaIngress.body.contains("\"app\":\"myapp\""))
        #expect(try await replicas() == "1")
        let woke = try await ok("get", "events", "--field-selector", "involvedObject.name=myapp", "-o", "jsonpath={range .items[*]}{.reason}: {.message}{\"\\n\"}{end}")
        #expect(woke.contains("ScaledFromZero: A request through Service myapp arrived while the Deployment had no replicas: scaled to 1"))
        #expect(woke.contains("ColdStart: The first request through Service myapp was held "), "\(woke)")

        // Through the ClusterIP, after it went idle again.
        try await waitForZero()
        let ip = try await ok("get", "svc", "myapp", "-o", "jsonpath={.spec.clusterIP}")
        let viaService = try await get("http://\(ip)/")
        #expect(viaService.code == "200", "\(viaService)")
        #expect(try await replicas() == "1")

        // Requests keep it awake: the activator reports them, so it stays up past its idle period.
        for _ in 0..<8 {
            #expect(try await get("http://127.0.0.1:\(ingressPort)/", host: "myapp.example.com").code == "200")
            try await Task.sleep(for: .milliseconds(700))
        }
        #expect(try await replicas() == "1")
        #expect(try await ok("get", "deploy", "myapp", "-o", "jsonpath={.metadata.annotations.kplane\\.dev/last-request-time}").hasPrefix("20"))

        // A Service whose Deployment did not opt in answers 503 at once when it has no pod.
        try await ok("annotate", "deployment/myapp", "kplane.dev/scale-to-zero-after-")
        try await ok("scale", "deployment/myapp", "--replicas=0")
        try await eventually("no pods", seconds: 60, interval: 0.5) { try await ok("get", "pods", "-l", "app=myapp", "-o", "name").isEmpty }
        let unavailable = try await get("http://127.0.0.1:\(ingressPort)/", host: "myapp.example.com")
        #expect(unavailable.code == "503" && unavailable.seconds < 2)
        #expect(try await replicas() == "0")
        let refused = try await kubectl.runOffPool(["annotate", "deployment/myapp", "kplane.dev/scale-to-zero-after=soon"])
        #expect(refused.code == 1 && refused.err.contains("must be a duration greater than 0"), "\(refused.err)")
        let server = server
        try await offPool { server.stop() }
    }
}
