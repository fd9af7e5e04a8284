import KubeModel
import Synchronization

/// Hands out Services' node ports from `--service-node-port-range` (30000-32767), as
/// kube-apiserver's portallocator does: a port asked for if free, else a random free one
/// (random, so that clusters sharing a machine seldom pick the same port).
final class NodePortAllocator: RangeAllocator {
    let range: ClosedRange<Int>
    private let used = Mutex(Set<Int>())

    init(range: ClosedRange<Int> = 30000...32767) { self.range = range }

    var first: String { String(range.lowerBound) }

    func contains(_ value: String) -> Bool { Int(value).map(range.contains) ?? false }

    @discardableResult
    func reserve(_ value: String) -> Bool {
        guard let port = Int(value), range.contains(port) else { return false }
        return used.withLock { $0.insert(port).inserted }
    }

    func release(_ value: String) {
        guard let port = Int(value) else { return }
        _ = used.withLock { $0.remove(port) }
    }

    /// A random free port, scanning on from a random start; nil when the range is full.
    func allocate() -> String? {
        used.withLock { u in
            let start = Int.random(in: range)
            for offset in 0..<range.count {
                let port = range.lowerBound + (start - range.lowerBound + offset) % range.count
                if u.insert(port).inserted { return String(port) }
            }
            return nil
        }
    }
}
