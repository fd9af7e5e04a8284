import Foundation
import KubeClient
import KubeModel
import Synchronization

/// The CPU and memory each running simulated pod "uses", for the metrics API to come: a
/// steady share of what it requests (30–80%, fixed per pod from its uid), or a small idle
/// figure when it requests nothing.
public final class ResourceUsage: Sendable {
    public struct Usage: Sendable, Equatable {
        public var milliCPU: Int64
        public var memoryBytes: Int64
    }

    private let pods = Mutex<[String: (node: String, usage: Usage)]>([:])

    func track(_ pod: JSONValue) {
        let key = Informer.key(pod)
        guard Pod(pod).status.phase == "Running", let node = Pod(pod).spec.nodeName else {
            forget(pod)
            return
        }
        let requests = ResourceList.requests(ofPod: pod)
        // A stable fraction per pod: the uid's bytes folded into 30…80%.
        let share = 30 + Int64(pod.uid.utf8.reduce(0) { ($0 &* 31 &+ Int($1)) & 0xffff } % 51)
        let usage = Usage(milliCPU: requests.milliCPU > 0 ? requests.milliCPU * share / 100 : 1,
                          memoryBytes: requests.memory > 0 ? requests.memory * share / 100 : 8 * 1024 * 1024)
        pods.withLock { $0[key] = (node, usage) }
    }

    func forget(_ pod: JSONValue) { _ = pods.withLock { $0.removeValue(forKey: Informer.key(pod)) } }

    /// A running pod's usage, by `namespace/name`.
    public func of(pod key: String) -> Usage? { pods.withLock { $0[key]?.usage } }

    /// The sum over a node's running pods.
    public func of(node: String) -> Usage {
        pods.withLock { m in
            m.values.filter { $0.node == node }.reduce(Usage(milliCPU: 0, memoryBytes: 0)) {
                Usage(milliCPU: $0.milliCPU + $1.usage.milliCPU, memoryBytes: $0.memoryBytes + $1.usage.memoryBytes)
            }
        }
    }
}
