import Foundation
import Synchronization

/// Hands out pod IPs from each node's /24 (.2 to .254), reusing addresses of pods that are gone.
final class PodIPAllocator: Sendable {
    private let state = Mutex<[String: (prefix: String, used: Set<Int>, next: Int)]>([:])

    func addNode(_ node: String, cidr: String) {
        let prefix = cidr.split(separator: "/").first.map { $0.split(separator: ".").prefix(3).joined(separator: ".") } ?? "10.244.0"
        state.withLock { $0[node] = (prefix, [], 2) }
    }

    /// Marks an address as taken (pods found running after a restart).
    func reserve(_ node: String, _ ip: String) {
        guard let last = ip.split(separator: ".").last.flatMap({ Int($0) }) else { return }
        state.withLock { _ = $0[node]?.used.insert(last) }
    }

    func allocate(_ node: String) -> String? {
        state.withLock { s in
            guard var n = s[node], n.used.count < 253 else { return nil }
            var candidate = n.next
            while n.used.contains(candidate) { candidate = candidate >= 254 ? 2 : candidate + 1 }
            n.used.insert(candidate)
            n.next = candidate >= 254 ? 2 : candidate + 1
            s[node] = n
            return "\(n.prefix).\(candidate)"
        }
    }

    func release(_ node: String, _ ip: String) {
        guard let last = ip.split(separator: ".").last.flatMap({ Int($0) }) else { return }
        state.withLock { _ = $0[node]?.used.remove(last) }
    }
}
