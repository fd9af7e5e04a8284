import APIServer
import Foundation
import KplaneTestSupport
import KubeClient
import KubeModel
import Logging
import Testing
@testable import Networking

/// The Service proxy on real sockets, over an in-process API server whose Service range is
/// loopback (so its ClusterIPs bind without a route), fed EndpointSlices written through the API.
@Suite(.timeLimit(.minutes(3)), .serialized)
struct ServiceProxyTests {
    /// A proxy, its API and its informers, running until `stop()`.
    final class Rig: Sendable {
        let server: APIServer
        let client: LocalAPIClient
        let proxy: ServiceProxy
        let task: Task<Void, Never>
        let dataDir: String

        init() async throws {
            dataDir = NSTemporaryDirectory() + "kplane-proxy-" + UUID().uuidString
            var config = APIServerConfig(dataDir: dataDir)
            config.port = 0
            // A loopback /16 of its own, so parallel runs do not share ClusterIPs.
            config.serviceCIDR = "127.\(Int.random(in: 100...199)).0.0/16"
            server = try await APIServer(config: config)
            client = server.localClient
            let informers = SharedInformers(client: client)
            let tracker = EndpointTracker(informers: informers)
            let proxy = ServiceProxy(client: client, clock: SystemClock(), tracker: tracker, nodes: informers.informer(.nodes))
            self.proxy = proxy
            task = Task {
                await withTaskGroup(of: Void.self) { g in
                    for i in informers.all { g.addTask { await i.run() } }
                    g.addTask { await proxy.serve() }
                }
            }
            await tracker.waitForSync()
        }

        func stop() async {
            task.cancel()
            await task.value
            try? FileManager.default.removeItem(atPath: dataDir)
        }

        func create(_ object: JSONValue) async throws -> JSONValue {
            try await client.create(TestCluster.resource(of: object), namespace: "default", object)
        }

        func service(_ name: String) async throws -> Service {
            Service(try await client.get(EndpointTracker.services, namespace: "default", name: name))
        }

        /// Where the proxy listens for the Service, once it has `count` sockets.
        func addresses(_ name: String, count: Int = 1) async throws -> [String] {
            let key = ServiceKey(namespace: "default", name: name)
            for _ in 0..<500 {
                let a = proxy.addresses(of: key)
                if a.count >= count { return a }
                try await Task.sleep(for: .milliseconds(10))
            }
            throw TestCluster.TimedOut(what: "\(count) socket(s) for \(name)")
        }
    }

    static func split(_ address: String) -> (String, Int) {
        let i = address.lastIndex(of: ":")!
        return (String(address[..<i]), Int(address[address.index(after: i)...])!)
    }

    /// Dials until `condition` holds for the answer (the proxy follows the API within ms).
    static func eventually(_ ip: String, _ port: Int, _ condition: (Dialled) -> Bool) async throws -> Dialled {
        var last = Dialled.failed("never dialled")
        for _ in 0..<300 {
            last = await Dialled.dial(ip, port)
            if condition(last) { return last }
            try await Task.sleep(for: .milliseconds(10))
        }
        return last
    }

    @Test func aClusterIPSpreadsConnectionsOverReadyEndpointsAndFollowsThem() async throws {
        let rig = try await Rig()
        let a = try await NameServer(name: "pod-a", ip: "127.0.3.1", port: 0)
        let b = try await NameServer(name: "pod-b", ip: "127.0.3.2", port: a.port)
        _ = try await rig.create(Fixtures.service("web", ports: [["name": "http", "port": 80, "targetPort": .int(Int64(a.port))]]))
        _ = try await rig.create(Fixtures.slice("web-1", service: "web", endpoints: [Fixtures.endpoint("127.0.3.1"), Fixtures.endpoint("127.0.3.2")],
                                                ports: [["name": "http", "port": .int(Int64(a.port)), "protocol": "TCP"]]))
        let clusterIP = try #require(try await rig.service("web").spec.clusterIP)
        let addresses = try await rig.addresses("web")
        // Port 80 where this process may bind it, else 8080 (as the log says).
        #expect(addresses == ["\(clusterIP):80"] || addresses == ["\(clusterIP):8080"])
        let (ip, port) = Self.split(addresses[0])
        _ = try await Self.eventually(ip, port) { $0 == .answer("pod-a") || $0 == .answer("pod-b") }
        var answers: [Dialled] = []
        for _ in 0..<4 { answers.append(await Dialled.dial(ip, port)) }
        #expect(Set(answers) == [.answer("pod-a"), .answer("pod-b")])
        #expect(answers[0] != answers[1] && answers[0] == answers[2] && answers[1] == answers[3])

        // pod-b turns unready: every new connection goes to pod-a.
        var slice = try await rig.client.get(EndpointTracker.endpointSlices, namespace: "default", name: "web-1")
        slice["endpoints"] = [Fixtures.endpoint("127.0.3.1"), Fixtures.endpoint("127.0.3.2", ready: false)]
        slice = try await rig.client.update(EndpointTracker.endpointSlices, namespace: "default", slice)
        try await Self.until("only pod-a answers") {
            var all: [Dialled] = []
            for _ in 0..<4 { all.append(await Dialled.dial(ip, port)) }
            return all.allSatisfy { $0 == .answer("pod-a") }
        }

        // No ready endpoint: the connection is reset, as kube-proxy's REJECT rule does.
        slice["endpoints"] = [Fixtures.endpoint("127.0.3.1", ready: false), Fixtures.endpoint("127.0.3.2", ready: false)]
        _ = try await rig.client.update(EndpointTracker.endpointSlices, namespace: "default", slice)
        let refused = try await Self.eventually(ip, port) { $0.isReset }
        #expect(refused.isReset, "\(refused)")
        await a.close()
        await b.close()
        await rig.stop()
    }

    @Test func clientIPAffinitySendsAClientBackToItsEndpoint() async throws {
        let rig = try await Rig()
        let a = try await NameServer(name: "pod-a", ip: "127.0.3.3", port: 0)
        let b = try await NameServer(name: "pod-b", ip: "127.0.3.4", port: a.port)
        _ = try await rig.create(Fixtures.service("sticky", ports: [["name": "http", "port": 80, "targetPort": .int(Int64(a.port))]],
                                                  extraSpec: ["sessionAffinity": "ClientIP", "sessionAffinityConfig": ["clientIP": ["timeoutSeconds": 60]]]))
        _ = try await rig.create(Fixtures.slice("sticky-1", service: "sticky", endpoints: [Fixtures.endpoint("127.0.3.3"), Fixtures.endpoint("127.0.3.4")],
                                                ports: [["name": "http", "port": .int(Int64(a.port)), "protocol": "TCP"]]))
        let (ip, port) = Self.split(try await rig.addresses("sticky")[0])
        let first = try await Self.eventually(ip, port) { $0 == .answer("pod-a") || $0 == .answer("pod-b") }
        for _ in 0..<5 { #expect(await Dialled.dial(ip, port) == first) }
        await a.close()
        await b.close()
        await rig.stop()
    }

    @Test func nodePortAndLoadBalancerAnswerOnTheirAddresses() async throws {
        let rig = try await Rig()
        let a = try await NameServer(name: "pod-a", ip: "127.0.3.5", port: 0)
        let created = try await rig.create(Fixtures.service("edge", ports: [["name": "http", "port": 80, "targetPort": .int(Int64(a.port))]],
                                                            extraSpec: ["type": "LoadBalancer"]))
        // The API server allocated a node port from 30000-32767.
        let nodePort = try #require(Service(created).spec.ports.first?.nodePort)
        #expect((30000...32767).contains(nodePort))
        _ = try await rig.create(Fixtures.slice("edge-1", service: "edge", endpoints: [Fixtures.endpoint("127.0.3.5")],
                                                ports: [["name": "http", "port": .int(Int64(a.port)), "protocol": "TCP"]]))
        // The proxy gave it a loopback LoadBalancer address, as MetalLB would.
        var lbIP: String?
        for _ in 0..<300 where lbIP == nil {
            lbIP = try await rig.service("edge").status.loadBalancer.ingress.first?.ip
            if lbIP == nil { try await Task.sleep(for: .milliseconds(10)) }
        }
        let lb = try #require(lbIP)
        #expect(lb.hasPrefix("127.0.2."))
        let addresses = try await rig.addresses("edge", count: 3)
        #expect(addresses.contains("127.0.0.1:\(nodePort)"))
        #expect(try await Self.eventually("127.0.0.1", Int(nodePort)) { $0 == .answer("pod-a") } == .answer("pod-a"))
        let lbAddress = try #require(addresses.first { $0.hasPrefix(lb + ":") })
        let (lbHost, lbPort) = Self.split(lbAddress)
        #expect(try await Self.eventually(lbHost, lbPort) { $0 == .answer("pod-a") } == .answer("pod-a"))

        // Back to ClusterIP: the node port and the LoadBalancer address stop answering.
        var svc = try await rig.client.get(EndpointTracker.services, namespace: "default", name: "edge")
        svc.set(["spec", "type"], "ClusterIP")
        svc.set(["spec", "ports"], [["name": "http", "port": 80, "targetPort": .int(Int64(a.port))]])
        _ = try await rig.client.update(EndpointTracker.services, namespace: "default", svc)
        _ = try await rig.addresses("edge")
        try await Self.until("only the ClusterIP left") { try await rig.addresses("edge").count == 1 }
        #expect(try await rig.service("edge").status.loadBalancer.ingress.isEmpty)
        await a.close()
        await rig.stop()
    }

    /// Two LoadBalancer Services reconciled before the cache shows either's address (created
    /// in one apply) get different addresses; one deleted gives its address back.
    @Test func loadBalancersReconciledOnAStaleCacheGetDifferentAddresses() async throws {
        let rig = try await Rig()
        let pool = LoadBalancerAddresses(prefix: "127.0.9.", range: 1...2)
        // Stored as ClusterIP, so the rig's own proxy leaves them alone; the pool reconciles
        // them as LoadBalancers.
        func loadBalancer(_ name: String) async throws -> Service {
            var json = try await rig.create(Fixtures.service(name, ports: [["name": "http", "port": 80]]))
            json.set(["spec", "type"], "LoadBalancer")
            return Service(json)
        }
        var services: [Service] = []
        for name in ["lb-a", "lb-b"] { services.append(try await loadBalancer(name)) }
        let logger = Logger(label: "test")
        for s in services { #expect(try await pool.reconcileStatus(of: s, among: services, client: rig.client, logger: logger)) }
        let a = try await rig.service("lb-a").status.loadBalancer.ingress.first?.ip
        let b = try await rig.service("lb-b").status.loadBalancer.ingress.first?.ip
        #expect(Set([a, b]) == ["127.0.9.1", "127.0.9.2"])
        // lb-a is gone (absent from the cache): its address is free for a third.
        let c = try await loadBalancer("lb-c")
        let cacheNow = [try await rig.service("lb-b"), c]
        #expect(try await pool.reconcileStatus(of: c, among: cacheNow, client: rig.client, logger: logger))
        #expect(try await rig.service("lb-c").status.loadBalancer.ingress.first?.ip == a)
        await rig.stop()
    }

    @Test func udpDatagramsGoToAnEndpointAndRepliesComeBack() async throws {
        let rig = try await Rig()
        let a = try await UDPNameServer(name: "dns-a", ip: "127.0.3.6", port: 0)
        _ = try await rig.create(Fixtures.service("dns", ports: [["name": "dns", "port": 53, "targetPort": .int(Int64(a.port)), "protocol": "UDP"]]))
        _ = try await rig.create(Fixtures.slice("dns-1", service: "dns", endpoints: [Fixtures.endpoint("127.0.3.6")],
                                                ports: [["name": "dns", "port": .int(Int64(a.port)), "protocol": "UDP"]]))
        let (ip, port) = Self.split(try await rig.addresses("dns")[0])
        var answer: String?
        for _ in 0..<50 where answer == nil { answer = try await UDPNameServer.ask(ip, port, "query") }
        #expect(answer == "dns-a:query")
        await a.close()
        await rig.stop()
    }

    /// A client that keeps sending from one port keeps its endpoint only while that endpoint is
    /// listed: once it leaves, the next datagram goes to a listed one (kube-proxy clears the UDP
    /// conntrack entries of endpoints that leave).
    @Test func udpSessionsLeaveAnEndpointThatLeft() async throws {
        let rig = try await Rig()
        // Two endpoints on one port number: the number the first got may be taken on the
        // second address (another test's socket), so a pair is tried a few times.
        var pair: (UDPNameServer, UDPNameServer)?
        for _ in 0..<10 where pair == nil {
            let first = try await UDPNameServer(name: "dns-a", ip: "127.0.3.6", port: 0)
            if let second = try? await UDPNameServer(name: "dns-b", ip: "127.0.3.7", port: first.port) { pair = (first, second) } else { await first.close() }
        }
        let (a, b) = try #require(pair)
        let ports: [JSONValue] = [["name": "dns", "port": .int(Int64(a.port)), "protocol": "UDP"]]
        _ = try await rig.create(Fixtures.service("dns", ports: [["name": "dns", "port": 53, "targetPort": .int(Int64(a.port)), "protocol": "UDP"]]))
        _ = try await rig.create(Fixtures.slice("dns-1", service: "dns", endpoints: [Fixtures.endpoint("127.0.3.6")], ports: ports))
        let (ip, port) = Self.split(try await rig.addresses("dns")[0])
        // One client port for the whole session, bound again for each datagram: taken above the
        // kernel's ephemeral range (ip_local_port_range), so no socket of another test is given
        // it in between; a number some test bound on purpose is passed over.
        var client = Self.clientPort()
        var answer: String?
        for _ in 0..<50 where answer == nil {
            do { answer = try await UDPNameServer.ask(ip, port, "one", from: client) } catch { client = Self.clientPort() }
        }
        #expect(answer == "dns-a:one")
        try await rig.client.delete(EndpointTracker.endpointSlices, namespace: "default", name: "dns-1")
        _ = try await rig.create(Fixtures.slice("dns-2", service: "dns", endpoints: [Fixtures.endpoint("127.0.3.7")], ports: ports))
        try await Self.until("the session to move to dns-b") { try await UDPNameServer.ask(ip, port, "two", from: client) == "dns-b:two" }
        await a.close()
        await b.close()
        await rig.stop()
    }

    @Test func headlessServicesGetNoSocket() async throws {
        let rig = try await Rig()
        _ = try await rig.create(Fixtures.service("headless", extraSpec: ["clusterIP": "None"]))
        _ = try await rig.create(Fixtures.service("plain"))
        _ = try await rig.addresses("plain")
        #expect(rig.proxy.addresses(of: ServiceKey(namespace: "default", name: "headless")).isEmpty)
        await rig.stop()
    }

    /// A UDP port above the ephemeral range (by default 32768-60999).
    static func clientPort() -> Int {
        let range = (try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8))?
            .split(whereSeparator: \.isWhitespace).compactMap { Int($0) } ?? []
        let above = (range.count == 2 ? range[1] : 60999) + 1
        return Int.random(in: min(above, 65000)...65535)
    }

    static func until(_ what: String, _ condition: () async throws -> Bool) async throws {
        for _ in 0..<300 {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw TestCluster.TimedOut(what: what)
    }
}
