import Foundation
import KplaneTestSupport
import Testing
@testable import Nodes

struct LoopbackPodNetworkTests {
    @Test(.offPool) func eachPodADistinctLoopbackAddressApartFromNodeAddresses() throws {
        let one = LoopbackPodNetwork(nodeIndex: 1), two = LoopbackPodNetwork(nodeIndex: 2), big = LoopbackPodNetwork(nodeIndex: 300)
        let a = try one.setUp(namespace: "default", pod: "a", uid: "a")
        let b = try one.setUp(namespace: "default", pod: "b", uid: "b")
        let c = try two.setUp(namespace: "default", pod: "c", uid: "c")
        let d = try big.setUp(namespace: "default", pod: "d", uid: "d")
        #expect([a.ip, b.ip, c.ip, d.ip] == ["127.1.1.2", "127.1.1.3", "127.1.2.2", "127.2.44.2"])
        #expect(a.netnsPath == nil && a.commandPrefix.isEmpty)
        for ip in [a.ip, b.ip, c.ip, d.ip] { #expect(!ip.hasPrefix("127.0.")) }   // nodes are 127.0.1.N
        #expect(try one.setUp(namespace: "default", pod: "a", uid: "a") == a)
    }

    /// As Kubernetes' host-local IPAM: addresses in turn, a freed one given again when the range wraps.
    @Test(.offPool) func addressesAreReleasedAndAdopted() throws {
        let network = LoopbackPodNetwork(nodeIndex: 1)
        let a = try network.setUp(namespace: "default", pod: "a", uid: "a")
        network.tearDown(uid: "a")
        network.tearDown(uid: "a")
        #expect(try network.setUp(namespace: "default", pod: "b", uid: "b").ip == "127.1.1.3")
        for i in 4...254 { _ = try network.setUp(namespace: "default", pod: "p\(i)", uid: "p\(i)") }
        #expect(try network.setUp(namespace: "default", pod: "c", uid: "c").ip == a.ip)
        #expect(throws: PodNetworkError.self) { try network.setUp(namespace: "default", pod: "d", uid: "d") }

        // A restarted agent: the pod still running keeps its address, the others' are freed.
        let restarted = LoopbackPodNetwork(nodeIndex: 1)
        restarted.adopt(uid: "b", ip: "127.1.1.3")
        restarted.cleanUp(keeping: ["b"])
        #expect(try restarted.setUp(namespace: "default", pod: "e", uid: "e").ip == "127.1.1.2")
        #expect(try restarted.setUp(namespace: "default", pod: "f", uid: "f").ip == "127.1.1.4")
        #expect(try restarted.setUp(namespace: "default", pod: "b", uid: "b").ip == "127.1.1.3")
    }

    /// A /23 (a node of 300 pods): addresses past the first /24's `.255`, and a pod listens there.
    @Test(.offPool) func aLargerBlockGivesAddressesPastItsFirstSlash24() throws {
        let network = LoopbackPodNetwork(podCIDR: PodSubnet(10, 243, 12, prefixLength: 23))
        var ips: [String] = []
        for i in 0..<300 { ips.append(try network.setUp(namespace: "default", pod: "p\(i)", uid: "p\(i)").ip) }
        #expect(Set(ips).count == 300 && ips.first == "127.1.12.2")
        #expect(ips[253...255] == ["127.1.12.255", "127.1.13.0", "127.1.13.1"])
        let port = 20000 + Int(getpid()) % 20000
        let pod = PodSandboxNetwork(ip: ips[299], netnsPath: nil)
        let server = try PodNetworkTestSupport.startServer(pod, port: port, name: "p299", bind: pod.ip)
        defer { PodNetworkTestSupport.stop([server]) }
        #expect(PodNetworkTestSupport.get(pod.ip, port: port) == "p299")
    }

    @Test(.offPool) func twoPodsListenOnTheSamePort() throws {
        let network = LoopbackPodNetwork(nodeIndex: 7)
        let a = try network.setUp(namespace: "default", pod: "a", uid: "a")
        let b = try network.setUp(namespace: "default", pod: "b", uid: "b")
        let servers = [try PodNetworkTestSupport.startServer(a, port: 3000, name: "pod-a", bind: a.ip),
                       try PodNetworkTestSupport.startServer(b, port: 3000, name: "pod-b", bind: b.ip)]
        defer { PodNetworkTestSupport.stop(servers) }
        #expect(PodNetworkTestSupport.get(a.ip, port: 3000) == "pod-a")
        #expect(PodNetworkTestSupport.get(b.ip, port: 3000) == "pod-b")
    }
}

struct TCPListenersTests {
    @Test(.offPool) func parsesProcNetTCPLines() {
        #expect(TCPListeners.listener("   0: 0201017F:0BB8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1595 1")
                == TCPListener(address: "127.1.1.2", port: 3000))
        #expect(TCPListeners.listener("   1: 0100007F:8A37 0100007F:EA18 06 00000000:00000000 03:000000BE 00000000") == nil)
        let v6 = TCPListeners.listener("   0: 00000000000000000000000000000000:0BB8 00000000000000000000000000000000:0000 0A 0")
        #expect(v6 == TCPListener(address: "::", port: 3000) && v6?.isWildcard == true)
        #expect(TCPListeners.listener("   0: 0000000000000000FFFF00000201017F:0050 00000000000000000000000000000000:0000 0A 0")
                == TCPListener(address: "127.1.1.2", port: 80))
    }

    /// In loopback mode a process that binds the wildcard address shows up as such, so the
    /// kubelet can say why another pod's bind on that port fails.
    @Test(.offPool) func seesAPodBindingTheWildcardAddress() throws {
        let network = LoopbackPodNetwork(nodeIndex: 9)
        let a = try network.setUp(namespace: "default", pod: "a", uid: "a")
        let port = 20000 + Int(getpid()) % 20000
        let servers = [try PodNetworkTestSupport.startServer(a, port: port, name: "a", bind: a.ip),
                       try PodNetworkTestSupport.startServer(a, port: port + 1, name: "wild")]
        defer { PodNetworkTestSupport.stop(servers) }
        #expect(PodNetworkTestSupport.get(a.ip, port: port) == "a")
        #expect(PodNetworkTestSupport.get(a.ip, port: port + 1) == "wild")
        let listeners = TCPListeners.current()
        #expect(listeners.contains(TCPListener(address: a.ip, port: port)))
        #expect(TCPListeners.wildcard(port: port).isEmpty)
        #expect(!TCPListeners.wildcard(port: port + 1).isEmpty)
    }
}
