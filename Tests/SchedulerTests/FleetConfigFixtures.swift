import KubeModel
import Nodes

enum FleetConfigFixtures {
    /// Two zones of one node each and a tainted GPU node.
    static let zonesAndGPU = FleetConfig(groups: [
        NodeGroup(namePrefix: "zone-a-", count: 1, labels: ["topology.kubernetes.io/zone": "a"]),
        NodeGroup(namePrefix: "zone-b-", count: 1, labels: ["topology.kubernetes.io/zone": "b"]),
        NodeGroup(namePrefix: "gpu-", count: 1, labels: ["accelerator": "gpu"], taints: [Taint(key: "gpu", value: "true", effect: "NoSchedule")]),
    ])
}
