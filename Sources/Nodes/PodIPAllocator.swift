import Foundation
import Synchronization

/// Hands out pod IPs from each node's podCIDR (`.2` to `.254` of a /24, to `1.254` of a /23), in
/// turn, reusing addresses of pods that are gone when the range wraps.
final class PodIPAllocator: Sendable {
    private struct Range {
        let subnet: PodSubnet
        var used: Set<Int> = []
        var next: Int
    }

    private let state = Mutex<[String: Range]>([:])

    func addNode(_ node: String, cidr: String) {
        let subnet = PodSubnet(cidr: cidr) ?? PodSubnet(10, 244, 0)
        state.withLock { $0[node] = Range(subnet: subnet, next: subnet.podOffsets.lowerBound) }
    }

    /// Marks an address as taken (pods found running after a restart).
    func reserve(_ node: String, _ ip: String) {
        state.withLock { s in
            guard let offset = s[node]?.subnet.offset(of: ip), s[node]?.subnet.podOffsets.contains(offset) == true else { return }
            s[node]?.used.insert(offset)
        }
    }

    func allocate(_ node: String) -> String? {
        state.withLock { s in
            guard var n = s[node], n.used.count < n.subnet.podOffsets.count else { return nil }
            let offsets = n.subnet.podOffsets
            var candidate = n.next
            while n.used.contains(candidate) { candidate = candidate >= offsets.upperBound ? offsets.lowerBound : candidate + 1 }
            n.used.insert(candidate)
            n.next = candidate >= offsets.upperBound ? offsets.lowerBound : candidate + 1
            s[node] = n
            return n.subnet.address(candidate)
        }
    }

    func release(_ node: String, _ ip: String) {
        state.withLock { s in
            guard let offset = s[node]?.subnet.offset(of: ip) else { return }
            s[node]?.used.remove(offset)
        }
    }
}
