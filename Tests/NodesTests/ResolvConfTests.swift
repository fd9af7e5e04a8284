import Foundation
import KubeModel
import Testing
@testable import Nodes

/// Pods' resolv.conf per DNS policy, as `pkg/kubelet/network/dns/dns_test.go` checks them.
@Suite struct ResolvConfTests {
    static let host = ResolvConf.parse("""
        # host
        nameserver 192.168.1.1
        nameserver 192.168.1.2
        search corp.example
        options edns0
        """)

    static func pod(_ policy: String?, hostNetwork: Bool = false, dnsConfig: JSONValue? = nil) -> JSONValue {
        var spec: JSONValue = ["containers": [["name": "main"]], "hostNetwork": .bool(hostNetwork)]
        if let policy { spec["dnsPolicy"] = .string(policy) }
        if let dnsConfig { spec["dnsConfig"] = dnsConfig }
        return ["metadata": ["name": "p", "namespace": "shop"], "spec": spec]
    }

    @Test func hostFileParses() {
        #expect(Self.host == ResolvConf(nameservers: ["192.168.1.1", "192.168.1.2"], searches: ["corp.example"], options: ["edns0"]))
    }

    @Test func clusterFirstIsTheDefault() throws {
        let conf = try #require(ResolvConf.forPod(Self.pod(nil), clusterDNS: "10.244.0.1", host: Self.host))
        #expect(conf.text == """
            search shop.svc.cluster.local svc.cluster.local cluster.local corp.example
            nameserver 10.244.0.1
            options ndots:5

            """)
    }

    @Test func defaultAndHostNetworkKeepTheHostsFile() {
        #expect(ResolvConf.forPod(Self.pod("Default"), clusterDNS: "10.244.0.1", host: Self.host) == nil)
        #expect(ResolvConf.forPod(Self.pod("ClusterFirst", hostNetwork: true), clusterDNS: "10.244.0.1", host: Self.host) == nil)
        let withNet = ResolvConf.forPod(Self.pod("ClusterFirstWithHostNet", hostNetwork: true), clusterDNS: "10.244.0.1", host: Self.host)
        #expect(withNet?.nameservers == ["10.244.0.1"])
    }

    @Test func noneTakesOnlyDNSConfigAndConfigMergesIntoTheOthers() throws {
        let config: JSONValue = ["nameservers": ["1.1.1.1"], "searches": ["a.example"],
                                 "options": [["name": "ndots", "value": "2"], ["name": "edns0"]]]
        let none = try #require(ResolvConf.forPod(Self.pod("None", dnsConfig: config), clusterDNS: "10.244.0.1", host: Self.host))
        #expect(none == ResolvConf(nameservers: ["1.1.1.1"], searches: ["a.example"], options: ["ndots:2", "edns0"]))
        let cluster = try #require(ResolvConf.forPod(Self.pod(nil, dnsConfig: config), clusterDNS: "10.244.0.1", host: Self.host))
        #expect(cluster.nameservers == ["10.244.0.1", "1.1.1.1"])
        #expect(cluster.searches.last == "a.example")
        #expect(cluster.options == ["ndots:2", "edns0"])
    }
}
