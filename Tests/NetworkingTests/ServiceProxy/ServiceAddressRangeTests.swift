import Foundation
import KplaneTestSupport
import Logging
import Testing
@testable import Networking

/// Where ClusterIPs answer: as root, a locally routed /16 of 10.96.0.0/12 that two claims
/// never share, gone again on release.
struct ServiceAddressRangeTests {
    func localRoutes() throws -> String { try ServerProcess.run("/usr/bin/env", ["ip", "route", "show", "table", "local"]).out }

    @Test(.enabled(if: geteuid() == 0)) func twoClaimsGetTwoRangesRoutedHereUntilReleased() throws {
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
