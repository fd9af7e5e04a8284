import Foundation
import KplaneTestSupport
import Testing
@testable import Nodes

/// The owner of a listening socket, found by its inode under /proc/<pid>/fd.
struct SocketOwnersTests {
    /// A TCP socket of this process listening on `address`, port chosen by the kernel.
    func listen(on address: String) throws -> (fd: Int32, port: Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket: \(errno)") }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        guard inet_pton(AF_INET, address, &addr.sin_addr) == 1 else { throw TestFailure("bad address \(address)") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { p in
                bind(fd, p, length) == 0 && Glibc.listen(fd, 1) == 0 && getsockname(fd, p, &length) == 0
            }
        }
        guard bound else { close(fd); throw TestFailure("bind/listen: \(errno)") }
        return (fd, Int(UInt16(bigEndian: addr.sin_port)))
    }

    @Test(.offPool) func findsTheProcessHoldingAListener() throws {
        let wildcard = try listen(on: "0.0.0.0"), own = try listen(on: "127.1.200.9")
        defer { close(wildcard.fd); close(own.fd) }
        let listeners = TCPListeners.byInode()
        let held = SocketOwners.listeners(of: [getpid()], among: listeners)
        #expect(held.contains(TCPListener(address: "0.0.0.0", port: wildcard.port)))
        #expect(held.contains(TCPListener(address: "127.1.200.9", port: own.port)))
        #expect(held.filter(\.isWildcard).map(\.port).contains(wildcard.port))
        // Another process holds neither.
        let child = try PodNetworkTestSupport.start(["/bin/sleep", "3"])
        defer { PodNetworkTestSupport.stop([child]) }
        #expect(SocketOwners.listeners(of: [child.processIdentifier], among: listeners).isEmpty)
        #expect(ProcessTree.members(of: getpid()).contains(child.processIdentifier))
        #expect(TCPListener(address: "::", port: 80).endpoint == "[::]:80" && TCPListener(address: "0.0.0.0", port: 80).endpoint == "0.0.0.0:80")
    }
}
