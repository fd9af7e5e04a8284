import Logging

/// What a node that is gone left on the machine: a node killed with -9 (or stopped before its
/// clean-up finished) keeps its bridge, its pods' namespaces and its rules. Its block's claim is
/// taken over by the next node; were its bridge left up, the machine would hold two routes to one
/// block and send the new pods' traffic (probes, Services) into the dead bridge. So a node removes
/// every other kplane bridge holding an address of the block it claimed, whatever node made it
/// (a claim is held by one live node at a time), and the rules of bridges that no longer exist.
enum NetworkLeftovers {
    static func remove(overlapping subnet: PodSubnet, except own: String, ip: HostCommand, logger: Logger) {
        for bridge in NodeBridge.bridges() where bridge != own {
            let held = addresses(of: bridge, ip: ip)
            guard held.contains(where: { subnet.overlaps($0.address, prefixLength: $0.prefixLength) }) else { continue }
            let namespaces = HostFiles.entries(of: NamespacedPodNetwork.namespaceDirectory)
                .filter { $0.hasPrefix(PodNetworkNames(tag: String(bridge.dropFirst(3))).namespacePrefix) }
            logger.notice("Removing a pod network left by a node that is gone", metadata: [
                "bridge": "\(bridge)", "addresses": "\(held.map { "\($0.address)/\($0.prefixLength)" })",
                "podCIDR": "\(subnet.cidr)", "namespaces": "\(namespaces.count)",
            ])
            let batch = namespaces.map { "netns del \($0)\n" }.joined() + "link del \(bridge)\n"
            do {
                let out = try ip.output(["-force", "-batch", "-"], input: batch)
                if out.status != 0 { logger.warning("Could not remove all of it", metadata: ["bridge": "\(bridge)", "err": "\(out.stderr)"]) }
            } catch {
                logger.warning("Could not remove it", metadata: ["bridge": "\(bridge)", "err": "\(error)"])
            }
            NodeBridge.removeRules(of: bridge, ip: ip)
        }
        for bridge in detachedRuleBridges(ip: ip) where bridge != own {
            logger.info("Removing the rules of bridge \(bridge), which is gone")
            NodeBridge.removeRules(of: bridge, ip: ip)
        }
    }

    /// The IPv4 addresses on an interface, from `ip -o -4 addr show dev X`.
    static func addresses(of interface: String, ip: HostCommand) -> [(address: String, prefixLength: Int)] {
        let shown = (try? ip.run(["-o", "-4", "addr", "show", "dev", interface])) ?? ""
        return parseAddresses(shown)
    }

    /// `4: kp-1 inet 10.243.0.1/24 brd ...` lines: the word after each `inet`.
    static func parseAddresses(_ shown: String) -> [(address: String, prefixLength: Int)] {
        shown.split(separator: "\n").compactMap { line in
            let words = line.split(separator: " ")
            guard let i = words.firstIndex(of: "inet"), i + 1 < words.count else { return nil }
            let parts = words[i + 1].split(separator: "/")
            guard parts.count == 2, let length = Int(parts[1]), PodSubnet.number(parts[0]) != nil else { return nil }
            return (String(parts[0]), length)
        }
    }

    /// kplane bridges (`kp-` and eight hex digits) that rules of kplane's priorities name but that
    /// no longer exist: `ip rule` shows them `[detached]`.
    static func detachedRuleBridges(ip: HostCommand) -> Set<String> {
        parseDetachedRuleBridges((try? ip.run(["rule", "show"])) ?? "")
    }

    static func parseDetachedRuleBridges(_ shown: String) -> Set<String> {
        var bridges: Set<String> = []
        for line in shown.split(separator: "\n") where line.contains("[detached]") {
            let words = line.split(separator: " ", omittingEmptySubsequences: true).flatMap { $0.split(separator: "\t") }
            guard let priority = words.first?.dropLast(), [NodeBridge.podRangeRulePriority, NodeBridge.refusalRulePriority].contains(String(priority)),
                  let i = words.firstIndex(of: "iif"), i + 1 < words.count else { continue }
            let name = String(words[i + 1])
            if NodeBridge.isKplaneBridgeName(name) { bridges.insert(name) }
        }
        return bridges
    }
}
