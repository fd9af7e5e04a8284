import Foundation
import Testing
@testable import Nodes

/// The pod's interface configured from inside its namespace, without an `ip` process.
@Suite struct PodInterfaceTests {
    @Test func whatFailsIsNamed() {
        #expect(throws: PodInterface.Failure.self) {
            try PodInterface.configure(netnsPath: "/run/netns/kplane-no-such-namespace", address: "10.244.1.2", prefixLength: 24, gateway: "10.244.1.1")
        }
        do {
            try PodInterface.configure(netnsPath: "/run/netns/kplane-no-such-namespace", address: "10.244.1.2", prefixLength: 24, gateway: "10.244.1.1")
        } catch {
            #expect("\(error)" == "enter the network namespace: No such file or directory")
        }
        do {
            try PodInterface.configure(netnsPath: "/proc/self/ns/net", address: "10.244.1.999", prefixLength: 24, gateway: "10.244.1.1")
        } catch {
            #expect("\(error)" == "set the address of eth0: Invalid argument")
        }
    }

    @Test(.enabled(if: PodNetworkTestSupport.namespacesAvailable)) func theNamespaceGetsItsAddressAndRoute() throws {
        let netns = "kplane-iface-\(getpid())"
        _ = try PodNetworkTestSupport.host("ip", "netns", "add", netns)
        defer { _ = try? PodNetworkTestSupport.host("ip", "netns", "del", netns) }
        _ = try PodNetworkTestSupport.host("ip", "-n", netns, "link", "add", "peer0", "type", "veth", "peer", "name", "eth0")
        try PodInterface.configure(netnsPath: "/run/netns/\(netns)", address: "10.244.7.9", prefixLength: 23, gateway: "10.244.6.1")
        let addresses = try PodNetworkTestSupport.host("ip", "-n", netns, "-o", "-4", "addr", "show")
        #expect(addresses.contains("lo    inet 127.0.0.1/8"))
        #expect(addresses.contains("eth0    inet 10.244.7.9/23"))
        #expect(try PodNetworkTestSupport.host("ip", "-n", netns, "route", "show", "default").hasPrefix("default via 10.244.6.1 dev eth0"))
    }
}
