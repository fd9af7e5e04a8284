import Logging
import KplaneTestSupport
import Testing
@testable import Nodes

struct PodNetworksTests {
    @Test(.offPool) func makeChoosesNamespacesWhereTheMachineAllows() {
        let logger = PodNetworkTestSupport.logger
        let network = PodNetworks.make(nodeName: "choice", nodeIndex: 3, podCIDR: "10.244.3.0/24", logger: logger)
        if PodNetworkTestSupport.namespacesAvailable {
            #expect((network as? NamespacedPodNetwork)?.subnet == PodSubnet(10, 244, 3))
        } else {
            #expect((network as? LoopbackPodNetwork)?.subnet == PodSubnet(127, 1, 3))
        }
        // A podCIDR the namespaces cannot use: loopback addresses rather than no network.
        #expect(PodNetworks.make(nodeName: "v6", nodeIndex: 3, podCIDR: "fd00:10:244::/64", logger: logger) is LoopbackPodNetwork)
    }

    @Test(.offPool) func commandPrefixEntersThePodsNamespace() {
        let pod = PodSandboxNetwork(ip: "10.244.1.2", netnsPath: "/run/netns/kp-1a2b3c4d-uid")
        #expect(pod.commandPrefix == [PodNetworks.nsenterPath, "--net=/run/netns/kp-1a2b3c4d-uid", "--"])
        #expect(PodSandboxNetwork(ip: "127.1.1.2", netnsPath: nil).commandPrefix == [])
    }

    @Test(.offPool) func namesFitInterfaceNamesAndTellNodesApart() {
        let one = PodNetworkNames(nodeName: "a-rather-long-process-node-name-1"), two = PodNetworkNames(nodeName: "node-2")
        let uid = "0f8c7a52-3b1e-4c1d-9a57-6b2f1e0c9d11"
        #expect(one.bridge.count <= 15 && one.hostVeth(uid: uid).count <= 15)
        #expect(one.bridge != two.bridge && one.hostVeth(uid: uid) != two.hostVeth(uid: uid))
        #expect(one.uid(ofNamespace: one.namespace(uid: uid)) == uid)
        #expect(two.uid(ofNamespace: one.namespace(uid: uid)) == nil)
    }

    @Test(.offPool, arguments: ["10.244.3.0/16", "10.244.3.1/24", "10.244.300.0/24", "fd00::/64", "10.244.3.0"])
    func podSubnetsAreIPv4Slash24s(_ cidr: String) {
        #expect(PodSubnet(cidr: cidr) == nil)
    }

    @Test(.offPool) func podSubnetAddresses() throws {
        let subnet = try #require(PodSubnet(cidr: "10.245.7.0/24"))
        #expect(subnet.gateway == "10.245.7.1")
        #expect(subnet.enclosingRange == "10.245.0.0/16")
        #expect(subnet.contains("10.245.7.9") && !subnet.contains("10.245.70.9") && !subnet.contains("10.245.7.x"))
    }

    /// A node of more than 253 pods has a /23 (or larger): its pods' addresses run on past `.255`.
    @Test(.offPool) func largerPodSubnets() throws {
        let subnet = try #require(PodSubnet(cidr: "10.243.4.0/23"))
        #expect(subnet.cidr == "10.243.4.0/23" && subnet.gateway == "10.243.4.1" && subnet.enclosingRange == "10.243.0.0/16")
        #expect(subnet.podOffsets == 2...510)
        #expect([255, 256, 510].map(subnet.address) == ["10.243.4.255", "10.243.5.0", "10.243.5.254"])
        #expect(subnet.offset(of: "10.243.5.0") == 256 && subnet.contains("10.243.5.255") && !subnet.contains("10.243.6.0"))
        #expect(PodSubnet(cidr: "10.243.5.0/23") == nil)   // not aligned
        #expect(PodSubnet(cidr: "10.243.0.0/20")?.podOffsets.count == 4093)
    }

    @Test(.offPool) func theLoopbackFallbackMirrorsThePodCIDR() {
        let network = PodNetworks.make(nodeName: "big", nodeIndex: 3, podCIDR: "10.243.4.0/23", logger: PodNetworkTestSupport.logger)
        if let loopback = network as? LoopbackPodNetwork { #expect(loopback.subnet.cidr == "127.1.4.0/23") }
        #expect(LoopbackPodNetwork(podCIDR: PodSubnet(10, 243, 8, prefixLength: 22)).subnet.cidr == "127.1.8.0/22")
    }
}
