import KubeModel
import Synchronization

/// Hands out Service ClusterIPs from a CIDR, like the API server's IP allocator. The first
/// address goes to the `kubernetes` Service.
final class ClusterIPAllocator: RangeAllocator {
    private let base: UInt32
    private let size: UInt32
    private let used = Mutex(Set<UInt32>())

    init(cidr: String) {
        let parts = cidr.split(separator: "/")
        let octets = (parts.first ?? "10.96.0.0").split(separator: ".").compactMap { UInt32($0) }
        let prefix = parts.count > 1 ? UInt32(parts[1]) ?? 16 : 16
        var b: UInt32 = 0
        for o in octets.prefix(4) { b = b << 8 | (o & 0xff) }
        let bits = 32 - min(max(prefix, 8), 30)
        size = (1 << bits)
        base = b & ~(size - 1)
    }

    var first: String { Self.format(base + 1) }

    static func format(_ v: UInt32) -> String { "\(v >> 24).\((v >> 16) & 0xff).\((v >> 8) & 0xff).\(v & 0xff)" }

    static func parse(_ s: String) -> UInt32? {
        let o = s.split(separator: ".").compactMap { UInt32($0) }
        guard o.count == 4, o.allSatisfy({ $0 < 256 }) else { return nil }
        return o.reduce(0) { $0 << 8 | $1 }
    }

    func contains(_ ip: String) -> Bool {
        guard let v = Self.parse(ip) else { return false }
        return v > base && v < base + size - 1
    }

    /// Marks an address as used; false when it is taken already.
    @discardableResult
    func reserve(_ ip: String) -> Bool {
        guard let v = Self.parse(ip) else { return false }
        return used.withLock { $0.insert(v).inserted }
    }

    func release(_ ip: String) {
        guard let v = Self.parse(ip) else { return }
        _ = used.withLock { $0.remove(v) }
    }

    /// The next free address after the first; nil when the range is full.
    func allocate() -> String? {
        used.withLock { u in
            for offset in 2..<(size - 1) where !u.contains(base + offset) {
                u.insert(base + offset)
                return Self.format(base + offset)
            }
            return nil
        }
    }
}
