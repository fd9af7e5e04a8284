import KubeModel

/// The routes of this machine (`ip -4 route show table all`), to tell which /16 of the Service
/// range the host's own networks use: a VPN's `10.96.0.0/12 via …`, a docker bridge's
/// `10.100.0.0/16 dev br-…`, an address of an interface. kplane routes no range any of them
/// touches, so it never takes traffic away from a network the machine already reaches.
struct HostRoutes: Sendable {
    struct Route: Sendable, Equatable {
        let type: String
        let block: IPv4Block
        let device: String?
        let line: String
    }

    let routes: [Route]

    /// Route types `ip` prints before the prefix; a line without one is a unicast route.
    static let types: Set<String> = ["unicast", "local", "broadcast", "multicast", "blackhole", "unreachable", "prohibit", "throw", "nat", "anycast"]

    /// Parses `ip -4 route show table all`; `default` routes and unparsable lines are left out.
    init(listing: String) {
        routes = listing.split(separator: "\n").compactMap { line in
            let words = line.split(separator: " ")
            guard let first = words.first else { return nil }
            let typed = Self.types.contains(String(first))
            guard words.count > (typed ? 1 : 0) else { return nil }
            let prefix = typed ? words[1] : first
            guard prefix != "default", let block = IPv4Block(cidr: prefix) else { return nil }
            let device = words.firstIndex(of: "dev").flatMap { $0 + 1 < words.count ? String(words[$0 + 1]) : nil }
            return Route(type: typed ? String(first) : "unicast", block: block, device: device, line: String(line))
        }
    }

    /// The first route of the host that shares an address with `cidr`, other than kplane's own
    /// local route of it on `lo` (a claim that a killed kplane left, taken back with its lock).
    func conflict(with cidr: String) -> Route? {
        guard let block = IPv4Block(cidr: Substring(cidr)) else { return nil }
        return routes.first { r in
            r.block.overlaps(block) && !(r.type == "local" && r.block == block && r.device == "lo")
        }
    }
}
