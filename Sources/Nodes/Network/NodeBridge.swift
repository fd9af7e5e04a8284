/// A node's bridge: its pods' veths hang on it and it holds the gateway address, the first of
/// the node's podCIDR. Pods of several nodes reach each other through the host, which forwards
/// what arrives on a bridge only to the cluster's pod range; everything else from a pod is
/// refused (`prohibit`), so nothing leaves the machine, and a `blackhole` route for the whole range
/// keeps a packet to an unused pod address off the default route.
struct NodeBridge: Sendable {
    /// Rule priorities: those of the pod range first, then the refusal of everything else.
    static let podRangeRulePriority = "10244"
    static let refusalRulePriority = "10245"

    let ip: HostCommand
    let names: PodNetworkNames
    let subnet: PodSubnet

    var name: String { names.bridge }
    var range: String { subnet.enclosingRange }
    var exists: Bool { HostFiles.exists("/sys/class/net/\(name)") }

    /// Creates the bridge (or finds it) and its address, routes and rules; idempotent.
    func ensure() throws {
        if !exists {
            do { try ip.run(["link", "add", name, "type", "bridge", "forward_delay", "0"]) } catch { if !exists { throw error } }
        }
        try ip.run(["-batch", "-"], input: """
            addr replace \(subnet.gateway)/\(subnet.prefixLength) dev \(name)
            link set \(name) up
            route replace blackhole \(range)

            """)
        try addRule(["pref", Self.podRangeRulePriority, "iif", name, "to", range, "lookup", "main"])
        try addRule(["pref", Self.refusalRulePriority, "iif", name, "prohibit"])
        // Forwarding on for what arrives from the bridge only (the machine's own setting stays as
        // it is); the rules above keep it to the pod range.
        try HostFiles.writeFile("/proc/sys/net/ipv4/conf/\(name)/forwarding", "1")
    }

    /// Removes the bridge and its rules, and the blackhole route once no kplane bridge is left.
    func remove() {
        _ = try? ip.output(["link", "del", name])
        Self.removeRules(of: name, ip: ip)
        if Self.bridges().isEmpty { _ = try? ip.output(["route", "del", "blackhole", range]) }
    }

    /// Removes the rules naming `bridge`, whether or not it still exists.
    static func removeRules(of bridge: String, ip: HostCommand) {
        for priority in [podRangeRulePriority, refusalRulePriority] {
            // One rule a priority and bridge; the loop ends at the first "No such file".
            for _ in 0..<4 {
                guard let out = try? ip.output(["rule", "del", "pref", priority, "iif", bridge]), out.status == 0 else { break }
            }
        }
    }

    /// Every kplane bridge on the machine, whichever node made it.
    static func bridges() -> [String] {
        HostFiles.entries(of: "/sys/class/net").filter { name in
            isKplaneBridgeName(name) && HostFiles.exists("/sys/class/net/\(name)/bridge")
        }
    }

    /// `kp-` and eight hex digits.
    static func isKplaneBridgeName(_ name: String) -> Bool {
        name.count == 11 && name.hasPrefix("kp-") && name.dropFirst(3).allSatisfy(\.isHexDigit)
    }

    private func addRule(_ rule: [String]) throws {
        let out = try ip.output(["rule", "add"] + rule)
        guard out.status == 0 || out.stderr.contains("File exists") else {
            throw HostCommand.Failure(command: "ip rule add " + rule.joined(separator: " "), status: out.status, stderr: out.stderr)
        }
    }
}
