#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Logging
import Synchronization

/// A pod's network as its containers see it: the address for `status.podIP` and, where the pod
/// has its own network namespace, the path a container process enters it by.
public struct PodSandboxNetwork: Sendable, Equatable {
    public let ip: String
    /// `/run/netns/kp-<node tag>-<uid>`; nil when pods share the host's network (loopback mode).
    public let netnsPath: String?

    public init(ip: String, netnsPath: String?) {
        self.ip = ip
        self.netnsPath = netnsPath
    }

    /// What to put before a container's argv so it runs inside the pod's namespace:
    /// `nsenter --net=<path> --`, or nothing in loopback mode.
    public var commandPrefix: [String] {
        guard let netnsPath else { return [] }
        return [PodNetworks.nsenterPath, "--net=\(netnsPath)", "--"]
    }
}

/// The network of one node's pods (the CNI plugin's job in Kubernetes).
public protocol PodNetwork: Sendable {
    /// Gives the pod its address (and namespace); returns the existing one if it has it already.
    func setUp(namespace: String, pod: String, uid: String) throws -> PodSandboxNetwork
    /// Removes the pod's namespace and veth and frees its address; idempotent.
    func tearDown(uid: String)
    /// After an agent restart: removes what no live pod owns and takes back the addresses of those
    /// that still live.
    func cleanUp(keeping uids: Set<String>)
    /// A pod found running after an agent restart keeps the address it has (its `status.podIP`),
    /// so no new pod is given it.
    func adopt(uid: String, ip: String)
    /// When the node stops: removes its pods' networks and its bridge.
    func tearDownNode()
    /// The address the cluster DNS answers on for this node's pods (the bridge's gateway), which
    /// the kubelet writes into their `resolv.conf`; nil where pods share the host's network.
    var clusterDNS: String? { get }
}

extension PodNetwork {
    public func adopt(uid: String, ip: String) {}
    public func tearDownNode() {}
    public var clusterDNS: String? { nil }
}

public enum PodNetworks {
    /// Namespaces on a bridge where the machine allows it (root on Linux), else loopback addresses.
    /// `KPLANE_POD_NETWORK=loopback` asks for loopback addresses anyway.
    public static func make(nodeName: String, nodeIndex: Int, podCIDR: String, logger: Logger) -> any PodNetwork {
        let choice = chosen
        if announced.withLock({ let first = !$0; $0 = true; return first }) {
            logger.info("Pod network: \(choice.reason)")
        }
        let subnet = PodSubnet(cidr: podCIDR)
        if let ip = choice.ip, let subnet {
            return NamespacedPodNetwork(nodeName: nodeName, subnet: subnet, ip: ip, logger: logger)
        }
        if choice.ip != nil {
            logger.warning("Pod network: podCIDR \"\(podCIDR)\" of node \(nodeName) is not an IPv4 block of /16 to /30; using loopback addresses")
        }
        return subnet.map(LoopbackPodNetwork.init(podCIDR:)) ?? LoopbackPodNetwork(nodeIndex: nodeIndex)
    }

    /// nsenter, as found on the machine (`nsenter` for PATH to find when it is not).
    public static let nsenterPath = HostCommand.find("nsenter")?.path ?? "nsenter"

    /// Whether this machine gives pods their own namespaces, and why; probed once per process.
    static let chosen: (ip: HostCommand?, reason: String) = probe()

    private static let announced = Mutex(false)

    private static func probe() -> (ip: HostCommand?, reason: String) {
        let fallback = "using loopback addresses (127.x.y.z, one per pod) because"
        if let forced = getenv("KPLANE_POD_NETWORK"), String(cString: forced) == "loopback" {
            return (nil, "\(fallback) KPLANE_POD_NETWORK=loopback")
        }
        #if os(Linux)
        guard geteuid() == 0 else { return (nil, "\(fallback) network namespaces need root") }
        guard let ip = HostCommand.find("ip") else { return (nil, "\(fallback) the `ip` command (iproute2) is not installed") }
        guard HostCommand.find("nsenter") != nil else { return (nil, "\(fallback) `nsenter` (util-linux) is not installed") }
        let name = "kp-probe-\(getpid())"
        do {
            try ip.run(["netns", "add", name])
            try ip.run(["netns", "del", name])
        } catch {
            return (nil, "\(fallback) a network namespace could not be created (\(error))")
        }
        return (ip, "each pod gets its own network namespace on its node's bridge (kp-...), addressed from the node's podCIDR")
        #else
        return (nil, "\(fallback) network namespaces are Linux's")
        #endif
    }
}
