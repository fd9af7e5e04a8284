/// An IPv4 prefix (`10.96.0.0/12`, `10.244.3.0/24`, a host's `10.0.0.5`), as numbers: what the
/// node IPAM, the Service range claim and the host-route checks compare.
public struct IPv4Block: Sendable, Equatable {
    /// The network address, host bits cleared.
    public let base: UInt32
    public let prefixLength: Int

    /// `a.b.c.d/n`, or a bare address (a /32); host bits are cleared (`ip route` prints them so).
    public init?(cidr: Substring) {
        let parts = cidr.split(separator: "/", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let n = Self.number(parts[0]) else { return nil }
        let length = parts.count == 2 ? Int(parts[1]) : 32
        guard let length, (0...32).contains(length) else { return nil }
        base = n & Self.mask(length)
        prefixLength = length
    }

    /// Whether the two blocks share an address.
    public func overlaps(_ other: IPv4Block) -> Bool {
        let common = Self.mask(min(prefixLength, other.prefixLength))
        return base & common == other.base & common
    }

    public var cidr: String { "\(base >> 24).\(base >> 16 & 255).\(base >> 8 & 255).\(base & 255)/\(prefixLength)" }

    /// A dotted IPv4 address as a number.
    public static func number(_ text: Substring) -> UInt32? {
        let octets = text.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { return nil }
        var n: UInt32 = 0
        for octet in octets {
            guard octet.count <= 3, octet.allSatisfy(\.isASCII), let v = UInt32(octet), v <= 255 else { return nil }
            n = n << 8 | v
        }
        return n
    }

    /// The network mask of a prefix length.
    public static func mask(_ length: Int) -> UInt32 { length == 0 ? 0 : ~UInt32(0) << (32 - length) }
}
