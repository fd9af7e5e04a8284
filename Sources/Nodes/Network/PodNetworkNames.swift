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

/// An IPv4 /24 written as its first three octets, as the node IPAM hands out podCIDRs
/// (`10.244.3.0/24`): the gateway is `.1` and pods take `.2` to `.254`.
struct PodSubnet: Sendable, Equatable {
    let octets: [Int]   // the first three

    init?(cidr: String) {
        let parts = cidr.split(separator: "/")
        guard parts.count == 2, parts[1] == "24" else { return nil }
        let octets = parts[0].split(separator: ".", omittingEmptySubsequences: false).compactMap { Int($0) }
        guard octets.count == 4, octets.allSatisfy({ (0...255).contains($0) }), octets[3] == 0 else { return nil }
        self.octets = Array(octets.prefix(3))
    }

    init(_ a: Int, _ b: Int, _ c: Int) { octets = [a, b, c] }

    var prefix: String { octets.map(String.init).joined(separator: ".") }
    var cidr: String { "\(prefix).0/24" }
    var gateway: String { "\(prefix).1" }
    /// The /16 the subnet lies in: the cluster's pod range when the IPAM carves /24s out of it.
    var enclosingRange: String { "\(octets[0]).\(octets[1]).0.0/16" }

    func contains(_ ip: String) -> Bool {
        ip.hasPrefix(prefix + ".") && host(ip) != nil
    }

    /// The last octet of an address of this subnet.
    func host(_ ip: String) -> Int? {
        guard ip.hasPrefix(prefix + "."), let last = Int(ip.dropFirst(prefix.count + 1)), (0...255).contains(last) else { return nil }
        return last
    }
}
