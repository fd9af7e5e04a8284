import KubeModel

/// The names kplane gives a node's bridge and its pods' namespaces and veths. Interface names
/// hold at most 15 characters (IFNAMSIZ - 1), so they carry hashes; namespace names (files under
/// /run/netns) carry the node's tag and the pod's uid in full, so a restarted agent can tell its
/// own leftovers from another node's.
struct PodNetworkNames: Sendable {
    /// Eight hex digits of the node name's hash: the bridge's and the namespaces' common tag.
    let nodeTag: String

    init(nodeName: String) {
        nodeTag = Self.hex(Self.fnv1a(nodeName), digits: 8)
    }

    /// The names of the node whose bridge is `kp-<tag>`.
    init(tag: String) {
        nodeTag = tag
    }

    /// The node's bridge, `kp-1a2b3c4d`.
    var bridge: String { "kp-\(nodeTag)" }

    /// The prefix of this node's namespace names.
    var namespacePrefix: String { "kp-\(nodeTag)-" }

    /// The pod's network namespace, `kp-1a2b3c4d-<uid>`.
    func namespace(uid: String) -> String { namespacePrefix + uid }

    /// The pod's uid in a namespace name of this node, nil for any other name.
    func uid(ofNamespace name: String) -> String? {
        name.hasPrefix(namespacePrefix) ? String(name.dropFirst(namespacePrefix.count)) : nil
    }

    /// The host end of the pod's veth pair, `kv` and 13 hex digits of the node and uid's hash.
    func hostVeth(uid: String) -> String { "kv" + Self.hex(Self.fnv1a(nodeTag + "/" + uid), digits: 13) }

    /// The pod's end, named as in a Kubernetes pod.
    static let podInterface = "eth0"

    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return hash
    }

    static func hex(_ value: UInt64, digits: Int) -> String {
        let text = String(value, radix: 16)
        let padded = String(repeating: "0", count: max(0, 16 - text.count)) + text
        return String(padded.suffix(digits))
    }
}

/// An IPv4 block a node's pods take, as the node IPAM hands out podCIDRs (`10.244.3.0/24`, or a
/// /23 for a node of more than 253 pods): the gateway is the first address, pods take the rest
/// but the last (`.2` to `.254` of a /24; `.2` to `1.254` of a /23, `.255` and `1.0` included).
struct PodSubnet: Sendable, Equatable {
    /// The network address as a number, its host bits zero.
    let base: UInt32
    let prefixLength: Int

    /// The prefix lengths a pod block may have: a /16 at most (the blackhole and the forwarding
    /// rules cover the enclosing /16), a /30 at least (a gateway and one pod).
    static let prefixLengths = 16...30

    init?(cidr: String) {
        let parts = cidr.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let length = Int(parts[1]), Self.prefixLengths.contains(length),
              let base = Self.number(parts[0]), base & ~Self.mask(length) == 0 else { return nil }
        self.base = base
        prefixLength = length
    }

    init(_ a: Int, _ b: Int, _ c: Int, prefixLength: Int = 24) {
        base = UInt32(a & 255) << 24 | UInt32(b & 255) << 16 | UInt32(c & 255) << 8
        self.prefixLength = prefixLength
    }

    /// The first three octets of the network address.
    var octets: [Int] { [Int(base >> 24), Int(base >> 16 & 255), Int(base >> 8 & 255)] }
    var size: Int { 1 << (32 - prefixLength) }
    var cidr: String { "\(address(0))/\(prefixLength)" }
    var gateway: String { address(1) }
    /// The offsets from the network address that pods take: all but the network, the gateway and
    /// the broadcast address.
    var podOffsets: ClosedRange<Int> { 2...(size - 2) }
    /// The /16 the subnet lies in: the cluster's pod range when the IPAM carves blocks out of it.
    var enclosingRange: String { "\(octets[0]).\(octets[1]).0.0/16" }

    /// The address `offset` past the network address.
    func address(_ offset: Int) -> String {
        let n = base &+ UInt32(truncatingIfNeeded: offset)
        return "\(n >> 24).\(n >> 16 & 255).\(n >> 8 & 255).\(n & 255)"
    }

    /// How far `ip` lies past the network address; nil unless it is an address of this subnet.
    func offset(of ip: String) -> Int? {
        guard let n = Self.number(Substring(ip)), n & Self.mask(prefixLength) == base else { return nil }
        return Int(n - base)
    }

    func contains(_ ip: String) -> Bool { offset(of: ip) != nil }

    /// Whether the block of `address/prefixLength` shares an address with this one.
    func overlaps(_ address: String, prefixLength length: Int) -> Bool {
        guard let n = Self.number(Substring(address)), (0...32).contains(length) else { return false }
        let common = Self.mask(min(length, prefixLength))
        return n & common == base & common
    }

    static func number(_ text: Substring) -> UInt32? { IPv4Block.number(text) }

    static func mask(_ length: Int) -> UInt32 { IPv4Block.mask(length) }
}
