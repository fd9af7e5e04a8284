import Testing
@testable import Nodes

/// Reading what `ip` shows of a dead node's leftovers, and which blocks overlap a claimed one.
struct NetworkLeftoversTests {
    @Test func addressesAreReadFromIPAddrShow() {
        let shown = """
            11: kp-5d67672b    inet 10.243.0.1/24 brd 10.243.0.255 scope global kp-5d67672b\\       valid_lft forever preferred_lft forever
            11: kp-5d67672b    inet 10.243.4.1/23 scope global kp-5d67672b
            11: kp-5d67672b    inet6 fe80::1/64 scope link
            """
        let addresses = NetworkLeftovers.parseAddresses(shown)
        #expect(addresses.map(\.address) == ["10.243.0.1", "10.243.4.1"])
        #expect(addresses.map(\.prefixLength) == [24, 23])
        #expect(NetworkLeftovers.parseAddresses("").isEmpty)
    }

    @Test func onlyDetachedRulesOfKplaneBridgesAndPrioritiesAreFound() {
        let shown = """
            0:\tfrom all lookup local
            10244:\tfrom all to 10.243.0.0/16 iif kp-9daba3dc [detached] lookup main
            10244:\tfrom all to 10.243.0.0/16 iif kp-5d67672b lookup main
            10245:\tfrom all iif kp-9daba3dc [detached] prohibit
            10245:\tfrom all iif kp-0000000g [detached] prohibit
            100:\tfrom all iif kp-12345678 [detached] lookup main
            32766:\tfrom all lookup main
            """
        #expect(NetworkLeftovers.parseDetachedRuleBridges(shown) == ["kp-9daba3dc"])
    }

    @Test(arguments: [
        ("10.243.0.1", 24, true), ("10.243.1.1", 24, false), ("10.243.0.1", 23, true),
        ("10.243.2.1", 23, false), ("10.243.0.1", 16, true), ("10.242.0.1", 24, false),
        ("not an address", 24, false),
    ])
    func blocksOverlapWhenTheyShareAnAddress(address: String, prefixLength: Int, overlaps: Bool) {
        #expect(PodSubnet(10, 243, 0, prefixLength: 24).overlaps(address, prefixLength: prefixLength) == overlaps)
    }

    @Test func aSlash24InsideASlash23Overlaps() {
        #expect(PodSubnet(10, 243, 0, prefixLength: 23).overlaps("10.243.1.1", prefixLength: 24))
    }
}
