import Logging
import Synchronization

/// The open watches, indexed by what they watch, and the delivery of committed changes to them.
///
/// Only the store's writer thread delivers, one committed batch after another, so every watch
/// sees changes in revision order. The index lock is held only to copy or change the index,
/// never while a watcher is offered an event or resumed.
final class WatcherSet: Sendable {
    struct Scope: Hashable {
        let resource: String
        /// nil: the watch spans all namespaces.
        let namespace: String?
    }

    private let index = Mutex<[Scope: [ObjectIdentifier: WatchChannel]]>([:])
    private let delivered = Atomic<Int64>(0)
    private let logger = Logger(label: "kplane.watch")

    init(deliveredRV: Int64) { delivered.store(deliveredRV, ordering: .relaxed) }

    /// The newest revision whose changes every watch has been offered.
    var deliveredRV: Int64 { delivered.load(ordering: .acquiring) }

    var count: Int { index.withLock { $0.values.reduce(0) { $0 + $1.count } } }

    func add(_ c: WatchChannel) {
        index.withLock { $0[Scope(resource: c.resource, namespace: c.namespace), default: [:]][ObjectIdentifier(c)] = c }
    }

    func remove(_ c: WatchChannel) {
        let scope = Scope(resource: c.resource, namespace: c.namespace)
        index.withLock { i in
            i[scope]?[ObjectIdentifier(c)] = nil
            if i[scope]?.isEmpty == true { i[scope] = nil }
        }
    }

    /// Offers a committed batch (in revision order) to every watch whose scope it touches.
    func deliver(_ events: [WatchEvent]) {
        guard let last = events.last else { return }
        // Group by scope, keeping revision order within each group.
        var groups: [Scope: [WatchEvent]] = [:]
        var order: [Scope] = []
        for e in events {
            for scope in [Scope(resource: e.key.resource, namespace: nil), Scope(resource: e.key.resource, namespace: e.key.namespace)] {
                if groups[scope] == nil { order.append(scope) }
                groups[scope, default: []].append(e)
            }
        }
        for scope in order {
            guard let batch = groups[scope] else { continue }
            let targets = index.withLock { i in i[scope].map { Array($0.values) } ?? [] }
            var closed: [WatchChannel] = []
            for c in targets where !c.offer(batch) { closed.append(c) }
            for c in closed where c.overflowed {
                // As kube-apiserver's cacher: the client sees its watch end and watches again.
                logger.info("closed a watch whose reader fell behind", metadata: [
                    "resource": "\(scope.resource)", "namespace": "\(scope.namespace ?? "")", "buffered": "\(c.capacity)"])
            }
            if !closed.isEmpty {
                index.withLock { i in
                    for c in closed { i[scope]?[ObjectIdentifier(c)] = nil }
                    if i[scope]?.isEmpty == true { i[scope] = nil }
                }
            }
        }
        delivered.store(last.rv, ordering: .releasing)
    }
}
