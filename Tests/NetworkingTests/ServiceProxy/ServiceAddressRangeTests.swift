import Foundation
import KplaneTestSupport
import Logging
import Testing
@testable import Networking

/// Where ClusterIPs answer: as root, a locally routed /16 of 10.96.0.0/12 that two claims
/// never share, gone again on release.
struct ServiceAddressRangeTests {
    func localRoutes() throws -> String { try ServerProcess.run("/usr/bin/env", ["ip", "route", "show", "table", "local"]).out }

    @Test(.offPool, .enabled(if: geteuid() == 0)) func twoClaimsGetTwoRangesRoutedHereUntilReleased() throws {
        let a = ServiceAddressRange.claim(logger: Logger(label: "test"))
        let b = ServiceAddressRange.claim(logger: Logger(label: "test"))
        #expect(a.cidr != b.cidr)
        for r in [a, b] {
            #expect(r.cidr.hasPrefix("10.") && r.cidr.hasSuffix(".0.0/16"), "\(r.reason)")
            #expect(try localRoutes().contains("local \(r.cidr) dev lo"))
        }
        a.release()
        b.release()
        for r in [a, b] { #expect(try !localRoutes().contains("local \(r.cidr) dev lo")) }
    }
}

/// The host's routes that keep kplane off a /16 of the Service range.
struct HostRoutesTests {
    static let listing = """
        default via 192.168.1.1 dev eth0 proto dhcp src 192.168.1.20 metric 100
        10.97.0.0/16 via 192.168.1.254 dev eth0
        10.100.4.0/24 dev br-3f2a proto kernel scope link src 10.100.4.1
        blackhole 10.244.0.0/16
        local 10.96.0.0/16 dev lo table local scope host
        local 10.98.0.0/16 dev eth0 table local scope host
        local 10.101.7.9 dev eth1 table local proto kernel scope host src 10.101.7.9
        broadcast 192.168.1.255 dev eth0 table local proto kernel scope link src 192.168.1.20
        """

    @Test(.offPool, arguments: [
        ("10.96.0.0/16", nil),  // kplane's own local route of it, left by a killed kplane
        ("10.97.0.0/16", "10.97.0.0/16 via 192.168.1.254 dev eth0"),
        ("10.98.0.0/16", "local 10.98.0.0/16 dev eth0 table local scope host"),
        ("10.99.0.0/16", nil),
        ("10.100.0.0/16", "10.100.4.0/24 dev br-3f2a proto kernel scope link src 10.100.4.1"),
        ("10.101.0.0/16", "local 10.101.7.9 dev eth1 table local proto kernel scope host src 10.101.7.9"),
    ] as [(String, String?)])
    func aSixteenThatAHostRouteTouchesIsNotTaken(_ cidr: String, _ conflict: String?) {
        #expect(HostRoutes(listing: Self.listing).conflict(with: cidr)?.line == conflict)
    }

    @Test(.offPool) func aRouteOfTheWholePrivateRangeKeepsKplaneOffEverySixteen() {
        let host = HostRoutes(listing: "10.0.0.0/8 dev wg0 scope link\n")
        #expect((96...111).allSatisfy { host.conflict(with: "10.\($0).0.0/16") != nil })
    }
}
