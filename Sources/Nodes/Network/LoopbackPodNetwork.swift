import Synchronization

/// Where pods cannot have namespaces (no root, not Linux): each pod a distinct loopback address
/// from the node's block of 127.1.0.0/16, the one its podCIDR has in 10.243.0.0/16 (podCIDR
/// 10.243.4.0/23: pods `127.1.4.2` to `127.1.5.254`), or `127.<1 + N/256>.<N%256>.0/24` for node
/// N where the podCIDR says nothing (IPv6). The second octet is never 0, so no pod takes a node's
/// address (`127.0.1.N`) or `127.0.0.1`. Linux routes all of 127/8 to `lo`, so a process can bind
/// any of them without set-up.
final class LoopbackPodNetwork: PodNetwork {
    let subnet: PodSubnet
    private let addresses = PodIPAllocator()
    private let key = "loopback"
    private let pods = Mutex([String: PodSandboxNetwork]())

    convenience init(nodeIndex: Int) {
        let n = max(1, nodeIndex)
        self.init(subnet: PodSubnet(127, 1 + (n / 256) % 255, n % 256))
    }

    /// The loopback block that mirrors `podCIDR` (a block of a /16), its size kept.
    convenience init(podCIDR: PodSubnet) {
        self.init(subnet: PodSubnet(127, 1, podCIDR.octets[2], prefixLength: podCIDR.prefixLength))
    }

    init(subnet: PodSubnet) {
        self.subnet = subnet
        addresses.addNode(key, cidr: subnet.cidr)
    }

    func setUp(namespace: String, pod: String, uid: String) throws -> PodSandboxNetwork {
        try pods.withLock { pods in
            if let known = pods[uid] { return known }
            guard let address = addresses.allocate(key) else { throw PodNetworkError.addressesExhausted(subnet.cidr) }
            let network = PodSandboxNetwork(ip: address, netnsPath: nil)
            pods[uid] = network
            return network
        }
    }

    func tearDown(uid: String) {
        if let known = pods.withLock({ $0.removeValue(forKey: uid) }) { addresses.release(key, known.ip) }
    }

    func cleanUp(keeping uids: Set<String>) {
        for uid in pods.withLock({ Array($0.keys) }) where !uids.contains(uid) { tearDown(uid: uid) }
    }

    func adopt(uid: String, ip: String) {
        guard subnet.contains(ip) else { return }
        addresses.reserve(key, ip)
        pods.withLock { $0[uid] = PodSandboxNetwork(ip: ip, netnsPath: nil) }
    }
}
