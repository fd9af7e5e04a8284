import KubeClient
import KubeModel
import Synchronization

/// An endpoints controller's own writes (of a Service's EndpointSlices, or its Endpoints), so
/// that it neither acts on a cache that has not seen them yet (a second slice created for
/// endpoints already placed, an update that conflicts) nor resyncs a Service on the echo of its
/// own write: `EndpointSliceTracker` of `k8s.io/endpointslice` and the endpoints controller's
/// `staleEndpointsTracker`, keyed by resourceVersion, which kplane's API server keeps monotonic
/// across objects.
final class WriteTracker: Sendable {
    private enum Expected: Equatable { case version(Int64), deleted }
    /// Service key → slice name → what the cache should show.
    private let expected = Mutex<[String: [String: Expected]]>([:])

    func wrote(_ slice: JSONValue, service: String) {
        guard let rv = Int64(slice.resourceVersion) else { return }
        expected.withLock { $0[service, default: [:]][slice.metaName] = .version(rv) }
    }

    func deleted(_ name: String, service: String) {
        expected.withLock { $0[service, default: [:]][name] = .deleted }
    }

    /// A slice is gone: nothing more to expect of it, whoever deleted it.
    func observedDeletion(_ name: String, service: String) {
        expected.withLock { all in
            all[service]?[name] = nil
            if all[service]?.isEmpty == true { all[service] = nil }
        }
    }

    func forget(service: String) { _ = expected.withLock { $0.removeValue(forKey: service) } }

    /// Whether the cached `slices` of a Service lag behind what was written; expectations the
    /// cache meets are dropped.
    func isStale(service: String, slices: [JSONValue]) -> Bool {
        let cached = Dictionary(slices.map { ($0.metaName, Int64($0.resourceVersion) ?? 0) }, uniquingKeysWith: max)
        return expected.withLock { all in
            guard var mine = all[service] else { return false }
            var stale = false
            for (name, want) in mine {
                switch (want, cached[name]) {
                case (.deleted, nil): mine[name] = nil
                case (.deleted, _): stale = true
                case (.version(let v), let have?) where have >= v: mine[name] = nil
                case (.version, _): stale = true
                }
            }
            all[service] = mine.isEmpty ? nil : mine
            return stale
        }
    }

    /// Whether an informer event about `slice` is news rather than the echo of our write.
    func shouldSync(_ slice: JSONValue, service: String) -> Bool {
        guard let rv = Int64(slice.resourceVersion) else { return true }
        return expected.withLock { $0[service]?[slice.metaName] != .version(rv) }
    }
}
