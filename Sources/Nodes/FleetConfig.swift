import Foundation

/// How the simulated fleet looks and behaves: node count and size, and the delays that stand in
/// for image pulls, container starts and graceful shutdown.
public struct FleetConfig: Sendable {
    public var nodes: Int
    public var namePrefix: String
    public var cpu: String
    public var memory: String
    public var maxPods: Int
    /// Seconds from binding to Running (image pull and container start).
    public var startupSeconds: Double
    /// A deleted pod is gone after its grace period, but never later than this many seconds.
    public var terminationCapSeconds: Double
    /// Multiplies probe delays (`initialDelaySeconds`): below 1 makes rollouts of real
    /// manifests quicker to watch or test, 1 keeps Kubernetes' timing.
    public var probeDelayScale: Double = 1

    public init(nodes: Int = 3, namePrefix: String = "kplane-node-", cpu: String = "4", memory: String = "16Gi", maxPods: Int = 110,
                startupSeconds: Double = 0, terminationCapSeconds: Double = 1) {
        self.nodes = nodes
        self.namePrefix = namePrefix
        self.cpu = cpu
        self.memory = memory
        self.maxPods = maxPods
        self.startupSeconds = startupSeconds
        self.terminationCapSeconds = terminationCapSeconds
    }

    public var nodeNames: [String] { (0..<nodes).map { "\(namePrefix)\($0 + 1)" } }

    /// Each node's pods come from its own /24 of 10.244.0.0/16, as kube-controller-manager
    /// hands out pod CIDRs.
    public func podCIDR(node index: Int) -> String { "10.244.\(index % 256).0/24" }
    public func internalIP(node index: Int) -> String { "172.18.\(index / 250).\(index % 250 + 2)" }
}
