import Foundation
import KubeModel
import Synchronization

/// The nodes a fleet runs: those of its config, plus Nodes created with the annotation
/// `kplane.dev/node: simulated` that it adopts (as KWOK takes over the nodes it selects), each
/// with its place (for its pod CIDR and address), its size, and whether its machine is on.
public final class FleetMembers: Sendable {
    /// Put on a Node (with its `status.capacity`) to have the fleet run it.
    public static let adoptAnnotation = "kplane.dev/node"

    struct Member: Sendable {
        let index: Int
        let group: NodeGroup
        var on = true
    }

    private let state = Mutex<(members: [String: Member], next: Int)>(([:], 0))

    init(_ config: FleetConfig) {
        state.withLock { s in
            for (i, n) in config.nodes.enumerated() { s.members[n.name] = Member(index: i, group: n.group) }
            s.next = config.nodeCount
        }
    }

    /// Adds a node; returns its index, or nil when it is already a member.
    func add(_ name: String, group: NodeGroup) -> Int? {
        state.withLock { s in
            guard s.members[name] == nil else { return nil }
            let i = s.next
            s.next += 1
            s.members[name] = Member(index: i, group: group)
            return i
        }
    }

    func member(_ name: String) -> Member? { state.withLock { $0.members[name] } }
    func contains(_ name: String) -> Bool { member(name) != nil }
    func isOn(_ name: String) -> Bool { member(name)?.on ?? false }
    var running: [String] { state.withLock { $0.members.filter(\.value.on).map(\.key).sorted() } }

    /// Returns whether the power state changed.
    @discardableResult
    func set(_ name: String, on: Bool) -> Bool {
        state.withLock { s in
            guard let m = s.members[name], m.on != on else { return false }
            s.members[name]?.on = on
            return true
        }
    }

    /// The size an adopted Node declares in its status (capacity, else allocatable).
    static func group(of node: JSONValue) -> NodeGroup {
        let status = Node(node).status
        let declared = status.capacity ?? status.allocatable
        func text(_ name: String, _ fallback: String) -> String { declared?[name: name]?.text ?? fallback }
        return NodeGroup(namePrefix: "", count: 1, cpu: text("cpu", "4"), memory: text("memory", "16Gi"), maxPods: Int(text("pods", "110")) ?? 110)
    }
}
