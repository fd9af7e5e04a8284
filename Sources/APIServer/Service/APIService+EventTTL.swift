import Foundation
import KubeModel

extension APIService {
    /// kube-apiserver keeps an Event for `--event-ttl` (1 h) after its last write, then lets it
    /// go (etcd leases there, a sweep here), so a busy simulation does not grow without bound.
    /// Returns how many events were deleted.
    @discardableResult
    public func expireEvents(olderThan ttl: TimeInterval) async -> Int {
        guard let events = catalog.find(group: "", version: "v1", plural: "events"),
            let list = try? list(events, namespace: nil, options: ListOptions())
        else { return 0 }
        let cutoff = now().addingTimeInterval(-ttl)
        var deleted = 0
        for e in list["items"]?.arrayValue ?? [] {
            let last = [e["lastTimestamp"], e["eventTime"], e[path: ["metadata", "creationTimestamp"]]]
                .compactMap { $0?.stringValue.flatMap(Timestamp.parse) }.max()
            guard let last, last < cutoff else { continue }
            var options = DeleteOptions()
            options.preconditionUID = e.uid
            if (try? await delete(events, namespace: e.metaNamespace, name: e.metaName, options: options)) != nil { deleted += 1 }
        }
        return deleted
    }
}
