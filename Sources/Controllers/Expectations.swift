import Foundation
import KubeClient
import Synchronization

/// What a controller is waiting to see in its informer after its own writes (client-go's
/// `UIDTrackingControllerExpectations`): until the pods it created and deleted show up, its cache
/// is behind and another sync would create or delete them twice. Expectations older than five
/// minutes are treated as met, so a lost watch event cannot wedge a controller.
public final class Expectations: Sendable {
    struct Entry {
        var adds: Int
        var deletes: Set<String>
        var since: Date
    }
    private let entries = Mutex<[String: Entry]>([:])
    let clock: any WallClock
    static let ttl: TimeInterval = 300

    public init(clock: any WallClock) { self.clock = clock }

    public func satisfied(_ key: String) -> Bool {
        entries.withLock { e in
            guard let entry = e[key] else { return true }
            if entry.adds <= 0 && entry.deletes.isEmpty { return true }
            return clock.now().timeIntervalSince(entry.since) > Self.ttl
        }
    }

    public func expectCreations(_ key: String, _ count: Int) {
        let now = clock.now()
        entries.withLock { $0[key] = Entry(adds: count, deletes: [], since: now) }
    }

    public func expectDeletions(_ key: String, _ podKeys: [String]) {
        let now = clock.now()
        entries.withLock { $0[key] = Entry(adds: 0, deletes: Set(podKeys), since: now) }
    }

    public func creationObserved(_ key: String) {
        entries.withLock { e in e[key]?.adds -= 1 }
    }

    /// Counts a deletion only for a pod this controller meant to delete, however often it is seen.
    public func deletionObserved(_ key: String, pod: String) {
        entries.withLock { e in _ = e[key]?.deletes.remove(pod) }
    }

    public func forget(_ key: String) { entries.withLock { _ = $0.removeValue(forKey: key) } }
}
