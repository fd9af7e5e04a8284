import Foundation
import KubeClient
import Synchronization

/// kube-scheduler's scheduling queue: an active queue ordered by priority then arrival, a
/// backoff queue for pods that failed recently (1 s doubling to 10 s), and a pool of
/// unschedulable pods that waits for a cluster change (a node added or changed, a pod gone)
/// instead of retrying in a loop, flushed anyway after five minutes.
final class SchedulingQueue: Sendable {
    static let initialBackoff: TimeInterval = 1
    static let maxBackoff: TimeInterval = 10
    static let maxInUnschedulable: TimeInterval = 300

    struct Entry: Sendable {
        var priority: Int64
        var attempts = 0
        /// The move-request count when the pod was handed out.
        var poppedAt: UInt64 = 0
        /// When the pod last failed, for its backoff and its time in the unschedulable pool.
        var failedAt: Date?
    }

    struct State: Sendable {
        var entries: [String: Entry] = [:]
        var active = Heap()
        /// Keys on the active heap, so none is pushed twice.
        var inActive: Set<String> = []
        var backoff: Set<String> = []
        var unschedulable: Set<String> = []
        var waiters: [CheckedContinuation<String?, Never>] = []
        var closed = false
        /// How many times the cluster changed; a pod that failed against an older state goes
        /// to backoff rather than waiting for a change it may have missed (moveRequestCycle).
        var moves: UInt64 = 0
    }

    let clock: any WallClock
    private let state = Mutex(State())

    init(clock: any WallClock) { self.clock = clock }

    /// A pod that needs a node. A pod already waiting only has its priority refreshed.
    func add(_ key: String, priority: Int64) {
        let waiter = state.withLock { s -> CheckedContinuation<String?, Never>? in
            if s.entries[key] != nil {
                s.entries[key]?.priority = priority
                return nil
            }
            s.entries[key] = Entry(priority: priority)
            return Self.activate(&s, key)
        }
        waiter?.resume(returning: key)
    }

    /// Hands the key to a waiting `pop` or puts it on the active heap.
    private static func activate(_ s: inout State, _ key: String) -> CheckedContinuation<String?, Never>? {
        guard let entry = s.entries[key] else { return nil }
        s.backoff.remove(key)
        s.unschedulable.remove(key)
        guard !s.inActive.contains(key) else { return nil }
        if !s.waiters.isEmpty {
            s.entries[key]?.poppedAt = s.moves
            return s.waiters.removeFirst()
        }
        s.inActive.insert(key)
        s.active.push(key, priority: entry.priority)
        return nil
    }

    /// The next pod to schedule, or nil once the queue is shut down.
    func pop() async -> String? {
        await withCheckedContinuation { (c: CheckedContinuation<String?, Never>) in
            let key = state.withLock { s -> String?? in
                if s.closed { return .some(nil) }
                while let key = s.active.pop() {
                    s.inActive.remove(key)
                    if s.entries[key] != nil {
                        s.entries[key]?.poppedAt = s.moves
                        return .some(key)
                    }
                }
                s.waiters.append(c)
                return .none
            }
            if let key { c.resume(returning: key) }
        }
    }

    /// The pod changed: if it was waiting for the cluster to change, it is retried now (its own
    /// change may be what makes it fit).
    func update(_ key: String, priority: Int64) {
        let now = clock.now()
        let waiter = state.withLock { s -> CheckedContinuation<String?, Never>? in
            guard let e = s.entries[key] else { return nil }
            s.entries[key]?.priority = priority
            guard s.unschedulable.contains(key) else { return nil }
            if backoffEnds(e) > now {
                s.unschedulable.remove(key)
                s.backoff.insert(key)
                return nil
            }
            return Self.activate(&s, key)
        }
        waiter?.resume(returning: key)
    }

    /// The pod was placed (or is gone): it leaves the queue.
    func done(_ key: String) {
        state.withLock { s in
            s.entries[key] = nil
            s.backoff.remove(key)
            s.unschedulable.remove(key)
        }
    }

    /// No node fits: wait for a change in the cluster.
    func unschedulable(_ key: String) {
        state.withLock { s in
            guard s.entries[key] != nil else { return }
            s.entries[key]?.attempts += 1
            s.entries[key]?.failedAt = clock.now()
            if (s.entries[key]?.poppedAt ?? 0) < s.moves { s.backoff.insert(key) } else { s.unschedulable.insert(key) }
        }
    }

    /// Something failed that a retry may fix (a binding error): back off, then retry.
    func retry(_ key: String) {
        state.withLock { s in
            guard s.entries[key] != nil else { return }
            s.entries[key]?.attempts += 1
            s.entries[key]?.failedAt = clock.now()
            s.backoff.insert(key)
        }
    }

    func backoffEnds(_ e: Entry) -> Date {
        let seconds = min(Self.maxBackoff, Self.initialBackoff * pow(2, Double(max(0, e.attempts - 1))))
        return (e.failedAt ?? .distantPast).addingTimeInterval(seconds)
    }

    /// A node or pod changed in a way that may make waiting pods fit: each goes back to the
    /// active queue, through backoff if its backoff has not run out.
    func clusterChanged() {
        let now = clock.now()
        let woken = state.withLock { s -> [(CheckedContinuation<String?, Never>, String)] in
            s.moves += 1
            var woken: [(CheckedContinuation<String?, Never>, String)] = []
            for key in s.unschedulable {
                guard let e = s.entries[key] else { continue }
                if backoffEnds(e) > now {
                    s.unschedulable.remove(key)
                    s.backoff.insert(key)
                } else if let w = Self.activate(&s, key) {
                    woken.append((w, key))
                }
            }
            return woken
        }
        for (w, key) in woken { w.resume(returning: key) }
    }

    /// Moves pods whose backoff is over to the active queue, and pods that waited five minutes
    /// in the unschedulable pool too (kube-scheduler's periodic flushes).
    func flush() {
        let now = clock.now()
        let woken = state.withLock { s -> [(CheckedContinuation<String?, Never>, String)] in
            var due = s.backoff.filter { key in s.entries[key].map { backoffEnds($0) <= now } ?? true }
            due.formUnion(s.unschedulable.filter { key in
                s.entries[key].map { ($0.failedAt ?? now).addingTimeInterval(Self.maxInUnschedulable) <= now } ?? true
            })
            return due.compactMap { key in Self.activate(&s, key).map { ($0, key) } }
        }
        for (w, key) in woken { w.resume(returning: key) }
    }

    /// Runs the flushes every second of the clock until cancelled.
    func runFlushes() async {
        while !Task.isCancelled {
            // The sleep throws only when cancelled, which ends the flushes.
            guard (try? await clock.sleep(for: 1)) != nil else { return }
            flush()
        }
    }

    func shutDown() {
        let waiters = state.withLock { s -> [CheckedContinuation<String?, Never>] in
            s.closed = true
            defer { s.waiters = [] }
            return s.waiters
        }
        for w in waiters { w.resume(returning: nil) }
    }

    struct Counts: Sendable, Equatable {
        var active: Int
        var backoff: Int
        var unschedulable: Int
    }

    var counts: Counts {
        state.withLock { s in Counts(active: s.entries.count - s.backoff.count - s.unschedulable.count, backoff: s.backoff.count, unschedulable: s.unschedulable.count) }
    }

    /// Whether the key waits in the unschedulable pool (tests).
    func isUnschedulable(_ key: String) -> Bool { state.withLock { $0.unschedulable.contains(key) } }
}

/// A binary heap of keys, highest priority first, then first in first out.
struct Heap: Sendable {
    private var items: [(priority: Int64, seq: UInt64, key: String)] = []
    private var seq: UInt64 = 0

    var isEmpty: Bool { items.isEmpty }

    private func before(_ a: Int, _ b: Int) -> Bool {
        items[a].priority != items[b].priority ? items[a].priority > items[b].priority : items[a].seq < items[b].seq
    }

    mutating func push(_ key: String, priority: Int64) {
        seq += 1
        items.append((priority, seq, key))
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard before(i, parent) else { break }
            items.swapAt(i, parent)
            i = parent
        }
    }

    mutating func pop() -> String? {
        guard !items.isEmpty else { return nil }
        items.swapAt(0, items.count - 1)
        let top = items.removeLast()
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var m = i
            if l < items.count && before(l, m) { m = l }
            if r < items.count && before(r, m) { m = r }
            if m == i { break }
            items.swapAt(i, m)
            i = m
        }
        return top.key
    }
}
