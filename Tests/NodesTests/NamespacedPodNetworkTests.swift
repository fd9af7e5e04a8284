import Foundation
import KplaneTestSupport
import Testing
@testable import Nodes

@Suite(.enabled(if: PodNetworkTestSupport.namespacesAvailable, "network namespaces need root on Linux with iproute2 and nsenter"))
struct NamespacedPodNetworkTests {
    typealias Support = PodNetworkTestSupport

    @Test(.offPool) func twoPodsListenOnTheSamePortAndReachEachOther() throws {
        let network = try Support.newNamespacedNetwork("same-port")
        var servers: [Process] = []
        defer { Support.stop(servers); network.tearDownNode() }
        let a = try network.setUp(namespace: "default", pod: "a", uid: "uid-a")
        let b = try network.setUp(namespace: "default", pod: "b", uid: "uid-b")
        #expect(a.ip == network.subnet.address(2))
        #expect(b.ip == network.subnet.address(3))
        #expect(a.netnsPath == "/run/netns/\(network.names.namespace(uid: "uid-a"))")
        #expect(try Support.host("ip", "netns", "list").contains(network.names.namespace(uid: "uid-b")))

        servers.append(try Support.startServer(a, port: 3000, name: "pod-a"))
        servers.append(try Support.startServer(b, port: 3000, name: "pod-b"))
        #expect(Support.get(a.ip, port: 3000) == "pod-a")
        #expect(Support.get(b.ip, port: 3000) == "pod-b")
        #expect(Support.get(b.ip, port: 3000, from: a) == "pod-b")
        #expect(Support.get(a.ip, port: 3000, from: b) == "pod-a")
        // Inside a pod, localhost is the pod's own: a's server answers a's localhost.
        #expect(Support.get("127.0.0.1", port: 3000, from: a) == "pod-a")

        Support.stop(servers)
        network.tearDown(uid: "uid-a")
        network.tearDown(uid: "uid-a")   // idempotent
        network.tearDown(uid: "uid-b")
        network.tearDownNode()
        #expect(!(try Support.host("ip", "netns", "list")).contains(network.names.namespacePrefix))
        // The kernel destroys a deleted namespace and its veth pair in the background.
        #expect(Support.eventually {
            let links = (try? Support.host("ip", "-o", "link", "show")) ?? network.names.bridge
            return !links.contains(network.names.bridge) && !links.contains(network.names.hostVeth(uid: "uid-a"))
                && !links.contains(network.names.hostVeth(uid: "uid-b"))
        })
        #expect(!(try Support.host("ip", "rule", "show")).contains(network.names.bridge))
    }

    @Test(.offPool) func nothingLeavesTheMachine() throws {
        let network = try Support.newNamespacedNetwork("leave")
        defer { network.tearDownNode() }
        let a = try network.setUp(namespace: "default", pod: "a", uid: "uid-a")
        let range = network.subnet.enclosingRange
        #expect(try Support.host("ip", "route", "show", range).contains("blackhole \(range)"))
        // An unused address of the pod range, from the host or a pod: the blackhole (which `ip route
        // get` answers with EINVAL), never the default route.
        let unused = "\(network.subnet.octets[0]).\(network.subnet.octets[1]).199.77"
        let unusedRoute = try Support.host("ip", "route", "get", unused)
        #expect(unusedRoute.contains("Invalid argument") && !unusedRoute.contains(" via "), "\(unusedRoute)")
        let unusedFromPod = try Support.host("ip", "route", "get", unused, "from", a.ip, "iif", network.names.bridge)
        #expect(unusedFromPod.contains("Invalid argument") && !unusedFromPod.contains(" via "), "\(unusedFromPod)")
        // What a pod sends anywhere else is refused where it enters the host.
        let refused = try Support.host("ip", "route", "get", "192.0.2.200", "from", a.ip, "iif", network.names.bridge)
        #expect(refused.contains("prohibit") || refused.contains("Permission denied"), "\(refused)")
        let podRange = try Support.host("ip", "route", "get", network.subnet.address(3), "from", a.ip, "iif", network.names.bridge)
        #expect(podRange.contains("dev \(network.names.bridge)"), "\(podRange)")
    }

    @Test(.offPool) func podsOfTwoNodesReachEachOther() throws {
        let one = try Support.newNamespacedNetwork("node-1"), two = try Support.newNamespacedNetwork("node-2")
        var servers: [Process] = []
        defer { Support.stop(servers); one.tearDownNode(); two.tearDownNode() }
        let a = try one.setUp(namespace: "default", pod: "a", uid: "uid-a")
        let b = try two.setUp(namespace: "default", pod: "b", uid: "uid-b")
        #expect(one.names.bridge != two.names.bridge)
        servers.append(try Support.startServer(b, port: 3000, name: "pod-b"))
        #expect(Support.get(b.ip, port: 3000, from: a) == "pod-b")
    }

    /// A node killed with -9 leaves its bridge up with a route to its block; the next node to
    /// claim that block (under another name, so another bridge) removes it, its pods' namespaces
    /// and its rules, or the host would route the new pods' traffic into the dead bridge.
    @Test(.offPool) func theNextOwnerOfABlockRemovesTheNetworkADeadNodeLeft() throws {
        let subnet = Support.newSubnet()
        guard let ip = PodNetworks.chosen.ip else { throw TestFailure("no ip command") }
        let gone = NamespacedPodNetwork(nodeName: "nettest-\(getpid())-gone", subnet: subnet, ip: ip, logger: Support.logger)
        let next = NamespacedPodNetwork(nodeName: "nettest-\(getpid())-next", subnet: subnet, ip: ip, logger: Support.logger)
        var servers: [Process] = []
        defer { Support.stop(servers); gone.tearDownNode(); next.tearDownNode() }
        _ = try gone.setUp(namespace: "default", pod: "a", uid: "uid-a")
        #expect(try Support.host("ip", "-br", "link").contains(gone.names.bridge))

        let b = try next.setUp(namespace: "default", pod: "b", uid: "uid-b")
        #expect(b.ip == subnet.address(2))
        servers.append(try Support.startServer(b, port: 3000, name: "pod-b"))
        #expect(Support.get(b.ip, port: 3000) == "pod-b")
        #expect(!(try Support.host("ip", "netns", "list")).contains(gone.names.namespacePrefix))
        #expect(!(try Support.host("ip", "rule", "show")).contains(gone.names.bridge))
        #expect(Support.eventually { !((try? Support.host("ip", "-br", "link")) ?? gone.names.bridge).contains(gone.names.bridge) })
    }

    /// Addresses come from the podCIDR in turn, as Kubernetes' host-local IPAM gives them: a torn-down
    /// pod's address is not handed out again at once (connections to it may linger), but when the
    /// range wraps (see LoopbackPodNetworkTests, same allocator) or after a restart.
    @Test(.offPool) func addressesComeFromThePodCIDR() throws {
        let network = try Support.newNamespacedNetwork("addresses")
        defer { network.tearDownNode() }
        let a = try network.setUp(namespace: "default", pod: "a", uid: "uid-a")
        let b = try network.setUp(namespace: "default", pod: "b", uid: "uid-b")
        #expect([a.ip, b.ip] == [network.subnet.address(2), network.subnet.address(3)])
        #expect(try network.setUp(namespace: "default", pod: "a", uid: "uid-a") == a)
        network.tearDown(uid: "uid-a")
        let c = try network.setUp(namespace: "default", pod: "c", uid: "uid-c")
        #expect(c.ip == network.subnet.address(4))
        // The same pod set up again right after its tear-down (a new sandbox): its old veth may
        // still be going away, and must not be in the way.
        network.tearDown(uid: "uid-c")
        let again = try network.setUp(namespace: "default", pod: "c", uid: "uid-c")
        #expect(Support.get(again.ip, port: 1, seconds: 0) == nil)
        #expect(try Support.host("ip", "-n", network.names.namespace(uid: "uid-c"), "-o", "-4", "addr").contains(again.ip))
    }

    /// A node of 300 pods has a /23: with the first /24's addresses taken (as by 254 pods), the
    /// next pod gets `.0` of the second /24 and pods of both halves reach each other.
    @Test(.offPool) func aSlash23GivesAddressesPastTheFirstSlash24() throws {
        let subnet = PodSubnet(10, 244, 250 + 2 * (Int(getpid()) % 2), prefixLength: 23)
        let network = NamespacedPodNetwork(nodeName: "nettest-\(getpid())-slash23", subnet: subnet, ip: try #require(PodNetworks.chosen.ip),
                                           logger: Support.logger)
        var servers: [Process] = []
        defer { Support.stop(servers); network.tearDownNode() }
        let a = try network.setUp(namespace: "default", pod: "a", uid: "uid-a")
        for offset in 3...255 { network.addresses.reserve(network.names.bridge, subnet.address(offset)) }
        let b = try network.setUp(namespace: "default", pod: "b", uid: "uid-b")
        #expect(a.ip == subnet.address(2))
        #expect(b.ip == "10.244.\(subnet.octets[2] + 1).0")
        #expect(try Support.host("ip", "-n", network.names.namespace(uid: "uid-b"), "-o", "-4", "addr").contains("\(b.ip)/23"))
        servers.append(try Support.startServer(b, port: 3000, name: "pod-b"))
        servers.append(try Support.startServer(a, port: 3000, name: "pod-a"))
        #expect(Support.get(b.ip, port: 3000, from: a) == "pod-b")
        #expect(Support.get(a.ip, port: 3000, from: b) == "pod-a")
        #expect(Support.get(b.ip, port: 3000) == "pod-b")
    }

    @Test(.offPool) func aUIDThatIsNotAUUIDIsRefused() throws {
        let network = try Support.newNamespacedNetwork("bad-uid")
        defer { network.tearDownNode() }
        #expect(throws: PodNetworkError.self) { try network.setUp(namespace: "default", pod: "a", uid: "x\nnetns add kp-evil") }
        #expect(throws: PodNetworkError.self) { try network.setUp(namespace: "default", pod: "a", uid: "../x") }
        #expect(!(try Support.host("ip", "netns", "list")).contains("kp-evil"))
    }

    /// After a kill -9 the agent starts again with empty memory: a new network object cleans up
    /// what no live pod owns and takes over the addresses of those that still live.
    @Test(.offPool) func cleanUpAfterRestartKeepsLivePods() throws {
        let before = try Support.newNamespacedNetwork("restart")
        defer { before.tearDownNode() }
        let a = try before.setUp(namespace: "default", pod: "a", uid: "uid-a")
        let b = try before.setUp(namespace: "default", pod: "b", uid: "uid-b")

        let after = NamespacedPodNetwork(nodeName: "nettest-\(getpid())-restart", subnet: before.subnet, ip: before.ip, logger: Support.logger)
        after.cleanUp(keeping: ["uid-a"])
        let namespaces = try Support.host("ip", "netns", "list")
        #expect(namespaces.contains(after.names.namespace(uid: "uid-a")))
        #expect(!namespaces.contains(after.names.namespace(uid: "uid-b")))
        #expect(try Support.host("ip", "-o", "link", "show").contains(after.names.hostVeth(uid: "uid-a")))
        #expect(Support.eventually { !((try? Support.host("ip", "-o", "link", "show")) ?? "").contains(after.names.hostVeth(uid: "uid-b")) })
        #expect(try after.setUp(namespace: "default", pod: "a", uid: "uid-a") == a)
        let c = try after.setUp(namespace: "default", pod: "c", uid: "uid-c")
        #expect(c.ip == b.ip)   // b's address is free again, a's is not
    }

    /// A pod's set-up and tear-down, 100 times: a few milliseconds each (two and one `ip` runs).
    @Test(.offPool) func setUpTakesMilliseconds() throws {
        let network = try Support.newNamespacedNetwork("timing")
        defer { network.tearDownNode() }
        _ = try network.setUp(namespace: "default", pod: "warm", uid: "warm")   // the bridge, once
        network.tearDown(uid: "warm")
        var setUps: [Double] = [], tearDowns: [Double] = []
        for i in 0..<100 {
            let start = ContinuousClock.now
            _ = try network.setUp(namespace: "default", pod: "p\(i)", uid: "uid-\(i)")
            let mid = ContinuousClock.now
            network.tearDown(uid: "uid-\(i)")
            let end = ContinuousClock.now
            setUps.append(Double((mid - start).components.attoseconds) / 1e15 + Double((mid - start).components.seconds) * 1000)
            tearDowns.append(Double((end - mid).components.attoseconds) / 1e15 + Double((end - mid).components.seconds) * 1000)
        }
        func percentile(_ values: [Double], _ p: Double) -> Double { values.sorted()[min(values.count - 1, Int(Double(values.count) * p))] }
        let figures = String(format: "pod network set-up p50 %.1f ms p99 %.1f ms; tear-down p50 %.1f ms p99 %.1f ms",
                             percentile(setUps, 0.5), percentile(setUps, 0.99), percentile(tearDowns, 0.5), percentile(tearDowns, 0.99))
        print(figures)
        #expect(percentile(setUps, 0.5) < 100, "\(figures)")
        #expect(!(try Support.host("ip", "netns", "list")).contains(network.names.namespacePrefix))
        #expect(Support.eventually { HostFiles.entries(of: "/sys/class/net/\(network.names.bridge)/brif").isEmpty })
    }
}
