import Foundation
import KplaneTestSupport
import KubeClient
import KubeModel
import Testing
@testable import Networking

/// Simulated pods answer HTTP on their container ports, and the tracker sends a Service's
/// traffic for them there.
@Suite(.timeLimit(.minutes(3)))
struct SimulatedPodResponderTests {
    @Test func aSimulatedFleetsPodsAnswerWithTheirIdentityThroughTheTracker() async throws {
        let cluster = try await TestCluster(nodes: 2)
        let informers = cluster.controllers.informers
        let responder = SimulatedPodResponder(clock: cluster.clock, pods: informers.informer(.pods), nodes: informers.informer(.nodes))
        let tracker = EndpointTracker(informers: informers)
        let serving = Task { await responder.serve() }
        // The services and slices informers were made after the cluster started: run them here.
        let run = Task { await withTaskGroup(of: Void.self) { g in for i in [tracker.services, tracker.endpointSlices] { g.addTask { await i.run(clock: cluster.clock) } } } }
        await tracker.waitForSync()

        var deployment = TestCluster.deployment("web", replicas: 2, image: "nginx:1.27")
        deployment.set(["spec", "template", "spec", "containers"], [["name": "app", "image": "nginx:1.27", "ports": [["containerPort": 8080]]]])
        _ = try await cluster.apply(deployment)
        try await cluster.until("two Running pods with addresses") {
            try await cluster.pods().filter { Pod($0).status.phase == "Running" && Pod($0).status.podIP != nil }.count == 2
        }
        let pods = try await cluster.pods().map(Pod.init)

        // Each pod answers on the loopback twin of its address, naming itself, its node and image.
        for pod in pods {
            let ip = try #require(pod.status.podIP)
            let at = try #require(SimulatedPodAddress.answering(ip: ip, port: 8080))
            #expect(at.ip == "127." + ip.split(separator: ".").dropFirst().joined(separator: "."))
            var reply = Dialled.failed("")
            try await cluster.until("\(pod.metadata.name) to answer") {
                reply = await Dialled.dial(at.ip, at.port, send: "GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                if case .answer(let text) = reply { return text.contains("200 OK") }
                return false
            }
            guard case .answer(let text) = reply else { continue }
            #expect(text.contains("\"pod\":\"\(pod.metadata.name)\""))
            #expect(text.contains("\"node\":\"\(pod.spec.nodeName ?? "")\""))
            #expect(text.contains("\"image\":\"nginx:1.27\""))
            #expect(text.contains("\"path\":\"/hello\""))
        }

        // A Service over them: the tracker gives the answering addresses, with the pods named.
        _ = try await cluster.apply(Fixtures.service("web", ports: [["name": "http", "port": 80, "targetPort": 8080]]))
        let endpoints = pods.map { Fixtures.endpoint($0.status.podIP ?? "", pod: $0.metadata.name, node: $0.spec.nodeName) }
        _ = try await cluster.apply(Fixtures.slice("web-1", service: "web", endpoints: endpoints, ports: [["name": "http", "port": 8080, "protocol": "TCP"]]))
        let key = ServiceKey(namespace: "default", name: "web")
        try await cluster.until("the slice") { tracker.endpoints(of: key, port: 80).count == 2 }
        let got = tracker.endpoints(of: key, port: 80)
        #expect(got.allSatisfy { $0.ip.hasPrefix("127.") && $0.port == 8080 })
        #expect(Set(got.compactMap(\.pod)) == Set(pods.map { "default/" + $0.metadata.name }))

        // A deleted pod stops answering (its replacement may take its address and answer there).
        let gone = pods[0]
        _ = try await cluster.client.delete(.pods, namespace: "default", name: gone.metadata.name)
        let at = try #require(SimulatedPodAddress.answering(ip: gone.status.podIP ?? "", port: 8080))
        try await cluster.until("the deleted pod's socket to close") {
            switch await Dialled.dial(at.ip, at.port, send: "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n") {
            case .failed: return true
            case .answer(let text): return !text.contains(gone.metadata.name)
            }
        }
        serving.cancel()
        run.cancel()
        await serving.value
        await run.value
        await cluster.stop()
    }
}
