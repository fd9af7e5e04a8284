import Foundation
import KplaneTestSupport
import Testing
@testable import Nodes

/// Blocks of 10.243.0.0/16 sized by max pods, claimed machine-wide one file per /24; each test
/// claims in a directory of its own.
struct PodCIDRClaimTests {
    let directory = NSTemporaryDirectory() + "pod-cidr-claims-\(UUID().uuidString)"

    func files() -> Set<String> { Set(HostFiles.entries(of: directory).filter { $0 != ".lock" }) }

    func write(_ number: Int, owner: pid_t) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try "\(owner)\n".write(toFile: "\(directory)/\(number)", atomically: true, encoding: .utf8)
    }

    /// A process id no process has: a child that exited and was reaped.
    func deadPID() throws -> pid_t {
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/true")
        try child.run()
        child.waitUntilExit()
        return child.processIdentifier
    }

    @Test(.offPool, arguments: [(1, 24), (110, 24), (253, 24), (254, 23), (300, 23), (509, 23), (510, 22), (1000, 22), (4093, 20), (100_000, 20)])
    func aBlockHoldsMaxPodsAndTheGateway(maxPods: Int, prefixLength: Int) {
        #expect(PodCIDRClaim.prefixLength(maxPods: maxPods) == prefixLength)
    }

    @Test(.offPool) func blocksAreAlignedAndExclusive() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let small = try #require(PodCIDRClaim.claim(maxPods: 110, preferred: nil, directory: directory))
        #expect(small.cidr == "10.243.0.0/24")
        // A /23 starts at an even /24: not 0, whose first half is taken, nor 1.
        let large = try #require(PodCIDRClaim.claim(maxPods: 300, preferred: nil, directory: directory))
        #expect(large.cidr == "10.243.2.0/23")
        #expect(try #require(PodCIDRClaim.claim(maxPods: 1000, preferred: nil, directory: directory)).cidr == "10.243.4.0/22")
        #expect(try #require(PodCIDRClaim.claim(maxPods: 110, preferred: nil, directory: directory)).cidr == "10.243.1.0/24")
        #expect(files() == ["0", "1", "2", "3", "4", "5", "6", "7"])
        #expect(PodCIDRClaim.owner(of: "\(directory)/3") == getpid())
        large.release()
        #expect(files() == ["0", "1", "4", "5", "6", "7"])
        #expect(try #require(PodCIDRClaim.claim(maxPods: 300, preferred: nil, directory: directory)).cidr == "10.243.2.0/23")
    }

    @Test(.offPool) func aBlockIsClaimedWhollyOrNotAtAll() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try write(1, owner: 1)   // init: alive
        try write(6, owner: 1)
        let claim = try #require(PodCIDRClaim.claim(maxPods: 300, preferred: nil, directory: directory))
        #expect(claim.cidr == "10.243.2.0/23")
        #expect(files() == ["1", "2", "3", "6"])   // 0 was made and given back when 1 was found taken
        #expect(PodCIDRClaim.owner(of: "\(directory)/1") == 1)
        // Every /22 but the last has a live owner's /24 in it, or this process's.
        let none = (0..<256).filter { $0 % 4 == 0 && $0 >= 8 }
        for n in none { try write(n + 3, owner: 1) }
        #expect(PodCIDRClaim.claim(maxPods: 1000, preferred: nil, directory: directory)?.cidr == nil)
        #expect(files().count == 4 + none.count)
    }

    @Test(.offPool) func aDeadOwnersClaimIsTakenOver() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let dead = try deadPID()
        try write(0, owner: dead)
        try write(1, owner: dead)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: "\(directory)/2", contents: Data())   // half written
        let claim = try #require(PodCIDRClaim.claim(maxPods: 300, preferred: nil, directory: directory))
        #expect(claim.cidr == "10.243.0.0/23")
        #expect(PodCIDRClaim.owner(of: "\(directory)/0") == getpid() && PodCIDRClaim.owner(of: "\(directory)/1") == getpid())
        #expect(try #require(PodCIDRClaim.claim(maxPods: 110, preferred: nil, directory: directory)).cidr == "10.243.2.0/24")
    }

    /// A restarted node asks for the podCIDR it had: it keeps it while it holds its max pods.
    @Test(.offPool) func aRestartedNodeKeepsItsBlockWhileItFits() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = try #require(PodCIDRClaim.claim(maxPods: 300, preferred: "10.243.6.0/23\n", directory: directory))
        #expect(first.cidr == "10.243.6.0/23")
        first.release()
        #expect(try #require(PodCIDRClaim.claim(maxPods: 110, preferred: first.cidr, directory: directory)).cidr == "10.243.6.0/23")
        // A /24 no longer holds 300 pods; a block that is not one (misaligned, other range) is no preference.
        #expect(try #require(PodCIDRClaim.claim(maxPods: 300, preferred: "10.243.9.0/24", directory: directory)).cidr == "10.243.0.0/23")
        #expect(try #require(PodCIDRClaim.claim(maxPods: 110, preferred: "10.243.9.0/23", directory: directory)).cidr == "10.243.2.0/24")
        #expect(try #require(PodCIDRClaim.claim(maxPods: 110, preferred: "10.244.9.0/24", directory: directory)).cidr == "10.243.3.0/24")
        #expect(PodCIDRClaim.block(of: "10.243.8.0/21").map { "\($0.number)/\($0.prefixLength)" } == "8/21")
        #expect(PodCIDRClaim.block(of: "10.243.8.0/19") == nil && PodCIDRClaim.block(of: "10.243.8.0/25") == nil)
    }
}
