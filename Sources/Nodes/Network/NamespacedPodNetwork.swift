import Logging
import Synchronization

/// Each pod in its own network namespace (`/run/netns/kp-<node tag>-<uid>`, so `ip netns` lists
/// it), joined to its node's bridge by a veth pair whose pod end is `eth0`, with the next free
/// address of the node's podCIDR and a default route through the bridge. One `ip -batch` run and
/// a few ioctls inside the namespace set a pod up, and one `ip` run tears it down.
final class NamespacedPodNetwork: PodNetwork {
    static let namespaceDirectory = "/run/netns"

    let ip: HostCommand
    let names: PodNetworkNames
    let subnet: PodSubnet
    let bridge: NodeBridge
    let logger: Logger
    /// Internal so a test can take most of a large range without starting as many pods.
    let addresses = PodIPAllocator()
    private let state = Mutex(State())

    private struct State {
        var pods: [String: PodSandboxNetwork] = [:]
        var bridgeReady = false
    }

    var clusterDNS: String? { subnet.gateway }

    init(nodeName: String, subnet: PodSubnet, ip: HostCommand, logger: Logger) {
        self.ip = ip
        self.names = PodNetworkNames(nodeName: nodeName)
        self.subnet = subnet
        self.logger = logger
        bridge = NodeBridge(ip: ip, names: names, subnet: subnet)
        addresses.addNode(names.bridge, cidr: subnet.cidr)
    }

    /// One pod's set-up runs at a time per uid (the kubelet's pod worker sees to it).
    func setUp(namespace: String, pod: String, uid: String) throws -> PodSandboxNetwork {
        if let known = state.withLock({ $0.pods[uid] }) { return known }
        // The uid becomes a file name and a word of an `ip` batch: letters, digits and dashes only.
        guard !uid.isEmpty, uid.utf8.count <= 128, uid.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
            throw PodNetworkError.setUpFailed(pod: "\(namespace)/\(pod)", reason: "pod uid \"\(uid)\" is not a UUID")
        }
        try ensureBridge()
        if let adopted = adopt(uid: uid) { return adopted }
        guard let address = addresses.allocate(names.bridge) else { throw PodNetworkError.addressesExhausted(subnet.cidr) }
        let netns = names.namespace(uid: uid), veth = names.hostVeth(uid: uid)
        // The same pod's previous sandbox, torn down a moment ago: its veth may still be going.
        if linkExists(veth) { _ = try? ip.output(["link", "del", veth]) }
        do {
            try ip.run(["-batch", "-"], input: """
                netns add \(netns)
                link add \(veth) type veth peer name \(PodNetworkNames.podInterface) netns \(netns)
                link set \(veth) master \(bridge.name) up

                """)
            // Inside the namespace: lo and eth0 up, the address, the default route (`ip -n` without
            // its process).
            try PodInterface.configure(netnsPath: path(netns), address: address, prefixLength: subnet.prefixLength, gateway: subnet.gateway)
        } catch {
            remove(uid: uid)
            addresses.release(names.bridge, address)
            throw PodNetworkError.setUpFailed(pod: "\(namespace)/\(pod)", reason: "\(error)")
        }
        let network = PodSandboxNetwork(ip: address, netnsPath: path(netns))
        state.withLock { $0.pods[uid] = network }
        return network
    }

    func tearDown(uid: String) {
        let known = state.withLock { $0.pods.removeValue(forKey: uid) }
        if known != nil || exists(namespace: names.namespace(uid: uid)) || linkExists(names.hostVeth(uid: uid)) {
            remove(uid: uid)
        }
        if let known { addresses.release(names.bridge, known.ip) }
    }

    func cleanUp(keeping uids: Set<String>) {
        for uid in state.withLock({ Array($0.pods.keys) }) where !uids.contains(uid) { tearDown(uid: uid) }
        for uid in namespaceUIDs() {
            if uids.contains(uid) {
                _ = adopt(uid: uid)
            } else {
                logger.info("Removing the network of pod \(uid), which no live pod owns", metadata: ["node-bridge": "\(bridge.name)"])
                remove(uid: uid)
            }
        }
        // A veth whose namespace a process still held when it was deleted stays on the bridge.
        let wanted = Set(uids.map(names.hostVeth))
        let strays = bridgePorts().filter { !wanted.contains($0) }
        if !strays.isEmpty { _ = try? ip.output(["-force", "-batch", "-"], input: strays.map { "link del \($0)\n" }.joined()) }
    }

    func tearDownNode() {
        cleanUp(keeping: [])
        bridge.remove()
        state.withLock { $0.bridgeReady = false }
    }

    /// The namespace a pod kept across an agent restart, with the address it has.
    func adopt(uid: String, ip _: String) { _ = adopt(uid: uid) }

    private func adopt(uid: String) -> PodSandboxNetwork? {
        let netns = names.namespace(uid: uid)
        guard exists(namespace: netns) else { return nil }
        let shown = (try? ip.run(["-n", netns, "-o", "-4", "addr", "show", "dev", PodNetworkNames.podInterface])) ?? ""
        let address = shown.split(separator: " ").drop { $0 != "inet" }.dropFirst().first?.split(separator: "/").first.map(String.init)
        guard let address, subnet.contains(address), linkExists(names.hostVeth(uid: uid)) else {
            remove(uid: uid)   // half made: start again
            return nil
        }
        let network = PodSandboxNetwork(ip: address, netnsPath: path(netns))
        addresses.reserve(names.bridge, address)
        state.withLock { $0.pods[uid] = network }
        return network
    }

    private func ensureBridge() throws {
        guard !state.withLock({ $0.bridgeReady }) else { return }
        NetworkLeftovers.remove(overlapping: subnet, except: bridge.name, ip: ip, logger: logger)
        do { try bridge.ensure() } catch { throw PodNetworkError.setUpFailed(pod: "bridge \(bridge.name)", reason: "\(error)") }
        logger.info("Pod network bridge \(bridge.name) is up with \(subnet.gateway)/\(subnet.prefixLength)", metadata: ["blackhole": "\(bridge.range)"])
        state.withLock { $0.bridgeReady = true }
    }

    /// Deleting the namespace is enough: once no process is left in it the kernel destroys it and
    /// the veth pair with it, in the background (in 10 to 30 ms), where deleting the veth itself
    /// would wait for that (30 ms and more on a busy machine). A veth without its namespace (made
    /// half, or whose namespace a process still held) is deleted itself.
    private func remove(uid: String) {
        let netns = names.namespace(uid: uid), veth = names.hostVeth(uid: uid)
        if exists(namespace: netns) {
            _ = try? ip.output(["netns", "del", netns])
        } else if linkExists(veth) {
            _ = try? ip.output(["link", "del", veth])
        }
    }

    private func path(_ netns: String) -> String { "\(Self.namespaceDirectory)/\(netns)" }

    private func exists(namespace: String) -> Bool { HostFiles.exists(path(namespace)) }

    private func linkExists(_ name: String) -> Bool { HostFiles.exists("/sys/class/net/\(name)") }

    /// The uids of this node's namespaces under /run/netns.
    private func namespaceUIDs() -> [String] {
        HostFiles.entries(of: Self.namespaceDirectory).compactMap(names.uid(ofNamespace:))
    }

    /// The interfaces on this node's bridge.
    private func bridgePorts() -> [String] { HostFiles.entries(of: "/sys/class/net/\(bridge.name)/brif") }
}

public enum PodNetworkError: Error, CustomStringConvertible, Sendable {
    case addressesExhausted(String)
    case setUpFailed(pod: String, reason: String)

    public var description: String {
        switch self {
        case .addressesExhausted(let cidr): "no free pod address left in \(cidr)"
        case .setUpFailed(let pod, let reason): "failed to set up the network of \(pod): \(reason)"
        }
    }
}
