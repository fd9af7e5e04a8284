import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Logging

/// Where ClusterIPs answer on this machine, decided when `kplane up` starts.
///
/// As root on Linux (where pods get network namespaces), the Service range is a `/16` of
/// kubeadm's default `10.96.0.0/12`, routed locally as a whole (`ip route add local 10.96.0.0/16
/// dev lo`): every address in it is then this machine's, so a socket binds any ClusterIP, the host
/// and pods (through their bridge; the `local` table is read before kplane's bridge rules) reach
/// it, and no packet to an unused one leaves the machine. A /16 that a route of the host
/// touches (a VPN's, a docker network's) is skipped. A range is claimed by holding a lock
/// on `/run/kplane/service-range-10.N.lock` for the life of the process: another kplane on the
/// machine finds it held and claims the next, so their ClusterIPs never collide, and a kplane
/// killed with -9 lets go of its lock with its life, so the next one takes the range (and its
/// leftover route) back. The route goes when kplane stops. Without root the range is
/// `127.96.0.0/16`, loopback addresses that any process may bind.
public struct ServiceAddressRange: Sendable {
    public let cidr: String
    /// Set when this process added the local route (and so removes it).
    let routed: Bool
    /// The descriptor holding the range's lock, -1 when none.
    var lock: Int32 = -1
    /// Why this range, for the log.
    public let reason: String

    public static let loopback = "127.96.0.0/16"
    static let lockDirectory = "/run/kplane"

    /// Claims a range as described above.
    public static func claim(logger: Logger) -> ServiceAddressRange {
        #if os(Linux)
        guard geteuid() == 0 else {
            return ServiceAddressRange(cidr: loopback, routed: false, reason: "Service ClusterIPs are loopback addresses (\(loopback)): routing a Service range needs root")
        }
        guard let ip = ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"].first(where: FileManager.default.isExecutableFile) else {
            return ServiceAddressRange(cidr: loopback, routed: false, reason: "Service ClusterIPs are loopback addresses (\(loopback)): the `ip` command (iproute2) is not installed")
        }
        try? FileManager.default.createDirectory(atPath: lockDirectory, withIntermediateDirectories: true)
        let (listed, listing) = run(ip, ["-4", "route", "show", "table", "all"], output: true)
        guard listed == 0 else {
            return ServiceAddressRange(cidr: loopback, routed: false, reason: "Service ClusterIPs are loopback addresses (\(loopback)): the host's routes could not be read (\(listing))")
        }
        let host = HostRoutes(listing: listing)
        for second in 96...111 {
            let cidr = "10.\(second).0.0/16"
            if let route = host.conflict(with: cidr) {
                logger.info("The host routes part of \(cidr) already; not taking it for Services", metadata: ["route": "\(route.line)"])
                continue
            }
            let fd = open("\(lockDirectory)/service-range-10.\(second).lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            guard fd >= 0 else { break }
            guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
                close(fd)  // a live kplane holds it
                continue
            }
            let (status, stderr) = run(ip, ["route", "replace", "local", cidr, "dev", "lo"])
            if status == 0 {
                // The descriptor stays open, and the lock held, until release or the process's end.
                return ServiceAddressRange(cidr: cidr, routed: true, lock: fd, reason: "Service ClusterIPs are \(cidr), routed to this machine (local route on lo)")
            }
            close(fd)
            logger.warning("Could not route the Service range locally", metadata: ["cidr": "\(cidr)", "err": "\(stderr)"])
            break
        }
        return ServiceAddressRange(cidr: loopback, routed: false, reason: "Service ClusterIPs are loopback addresses (\(loopback)): no range of 10.96.0.0/12 could be routed locally")
        #else
        return ServiceAddressRange(cidr: loopback, routed: false, reason: "Service ClusterIPs are loopback addresses (\(loopback))")
        #endif
    }

    /// Removes the route this process added and lets go of the range; call it once.
    public func release() {
        defer { if lock >= 0 { close(lock) } }
        guard routed, let ip = ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"].first(where: FileManager.default.isExecutableFile) else { return }
        _ = Self.run(ip, ["route", "del", "local", cidr, "dev", "lo"])
    }

    /// Runs `ip` and returns its status and its standard error, or its standard output when
    /// `output` (then standard error is dropped).
    private static func run(_ path: String, _ args: [String], output: Bool = false) -> (Int32, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = args
        let pipe = Pipe()
        if output {
            p.standardOutput = pipe
            p.standardError = FileHandle.nullDevice
        } else {
            p.standardError = pipe
            p.standardOutput = FileHandle.nullDevice
        }
        do { try p.run() } catch { return (-1, "\(error)") }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
