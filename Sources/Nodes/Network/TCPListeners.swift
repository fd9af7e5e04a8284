/// A listening TCP socket of the host's network namespace.
public struct TCPListener: Sendable, Hashable {
    public let address: String   // "127.1.1.2", "0.0.0.0", "::"
    public let port: Int

    /// Bound to every address: in loopback mode, where pods share the host's network, such a
    /// process takes its port from every other pod (the pod's events should say so).
    public var isWildcard: Bool { address == "0.0.0.0" || address == "::" }
}

public enum TCPListeners {
    /// Who listens now, from /proc/net/tcp and /proc/net/tcp6 (empty where there is no /proc).
    public static func current() -> [TCPListener] {
        ["/proc/net/tcp", "/proc/net/tcp6"].flatMap { path in
            (HostFiles.contents(of: path) ?? "").split(separator: "\n").dropFirst().compactMap(listener)
        }
    }

    /// The wildcard listeners on `port`, if any: what makes a pod's bind fail with EADDRINUSE.
    public static func wildcard(port: Int) -> [TCPListener] {
        current().filter { $0.port == port && $0.isWildcard }
    }

    /// Who listens now, by the inode of the listening socket (what `/proc/<pid>/fd` links name).
    public static func byInode() -> [UInt64: TCPListener] {
        var found: [UInt64: TCPListener] = [:]
        for path in ["/proc/net/tcp", "/proc/net/tcp6"] {
            for line in (HostFiles.contents(of: path) ?? "").split(separator: "\n").dropFirst() {
                let fields = line.split(separator: " ")
                if fields.count > 9, let inode = UInt64(fields[9]), inode != 0, let listener = listener(line) { found[inode] = listener }
            }
        }
        return found
    }

    /// A line such as `0: 0100007F:0BB8 00000000:0000 0A ... 1595 1`: local address and port in
    /// hex, state 0A is LISTEN, the tenth field the socket's inode. The address is stored as
    /// 32-bit words in host (little-endian) order.
    static func listener(_ line: Substring) -> TCPListener? {
        let fields = line.split(separator: " ")
        guard fields.count > 3, fields[3] == "0A" else { return nil }
        let local = fields[1].split(separator: ":")
        guard local.count == 2, let port = Int(local[1], radix: 16) else { return nil }
        let hex = Array(local[0])
        guard hex.count == 8 || hex.count == 32 else { return nil }
        var bytes: [UInt8] = []
        for word in stride(from: 0, to: hex.count, by: 8) {
            guard let value = UInt32(String(hex[word..<word + 8]), radix: 16) else { return nil }
            bytes += [UInt8(value & 0xff), UInt8(value >> 8 & 0xff), UInt8(value >> 16 & 0xff), UInt8(value >> 24)]
        }
        if bytes.count == 4 { return TCPListener(address: bytes.map(String.init).joined(separator: "."), port: port) }
        if bytes.allSatisfy({ $0 == 0 }) { return TCPListener(address: "::", port: port) }
        if bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xff, bytes[11] == 0xff {   // ::ffff:a.b.c.d
            return TCPListener(address: bytes[12...].map(String.init).joined(separator: "."), port: port)
        }
        let groups = stride(from: 0, to: 16, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
        return TCPListener(address: groups.joined(separator: ":"), port: port)
    }
}
