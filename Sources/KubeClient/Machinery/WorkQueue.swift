import Foundation
import Synchronization

/// client-go's rate-limited work queue: a key is queued at most once however often it is
/// added, is never handed to two workers at once (an add while it is processed queues it again
/// for after `done`), can be added after a delay, and is retried with the larger of a per-key
/// exponential backoff (5 ms doubling to 1000 s, until `forget`) and an overall token bucket
/// (10 retries a second, bursts of 100), as `workqueue.DefaultControllerRateLimiter`.
public final class WorkQueue: Sendable {
    private struct State {
        var queue: [String] = []
        var head = 0
        var dirty: Set<String> = []
        var processing: Set<String> = []
        var waiters: [CheckedContinuation<String?, Never>] = []
        var delayed: [String: Date] = [:]
        var failures: [String: Int] = [:]
        var shuttingDown = false
        /// The overall bucket: tokens left as of `refilled` (negative: retries reserved ahead).
        var tokens: Double
        var refilled: Date?
    }
    private let state: Mutex<State>
    let clock: any WallClock
    let baseDelay: TimeInterval
    let maxDelay: TimeInterval
    let retriesPerSecond: Double
    let burst: Double

    public init(clock: any WallClock, baseDelay: TimeInterval = 0.005, maxDelay: TimeInterval = 1000,
                retriesPerSecond: Double = 10, burst: Int = 100) {
        self.clock = clock
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.retriesPerSecond = retriesPerSecond
        self.burst = Double(burst)
        state = Mutex(State(tokens: Double(burst)))
    }

    public func add(_ key: String) {
        let waiter = state.withLock { s -> CheckedContinuation<String?, Never>? in
            guard !s.shuttingDown, s.dirty.insert(key).inserted else { return nil }
            if s.processing.contains(key) { return nil }
            return Self.enqueue(&s, key)
        }
        waiter?.resume(returning: key)
    }

    /// Queues a dirty key, or hands it straight to a waiting worker (returned, to resume
    /// outside the lock).
    private static func enqueue(_ s: inout State, _ key: String) -> CheckedContinuation<String?, Never>? {
        if !s.waiters.isEmpty {
            s.dirty.remove(key)
            s.processing.insert(key)
            return s.waiters.removeFirst()
        }
        s.queue.append(key)
        return nil
    }

    /// The next key to process, waiting for one; nil once the queue is shut down.
    public func get() async -> String? {
        await withCheckedContinuation { (c: CheckedContinuation<String?, Never>) in
            let key = state.withLock { s -> String?? in
                if s.head < s.queue.count {
                    let k = s.queue[s.head]
                    s.head += 1
                    if s.head > 1024 && s.head * 2 > s.queue.count { s.queue.removeFirst(s.head); s.head = 0 }
                    s.dirty.remove(k)
                    s.processing.insert(k)
                    return .some(k)
                }
                if s.shuttingDown { return .some(nil) }
                s.waiters.append(c)
                return nil
            }
            if let key { c.resume(returning: key) }
        }
    }

    /// Marks a key finished; if it was added meanwhile it goes back on the queue.
    public func done(_ key: String) {
        let waiter = state.withLock { s -> CheckedContinuation<String?, Never>? in
            s.processing.remove(key)
            guard s.dirty.contains(key) else { return nil }
            return Self.enqueue(&s, key)
        }
        waiter?.resume(returning: key)
    }

    /// Adds the key once `seconds` have passed on the clock. Of several pending delays for one
    /// key the earliest wins, as in client-go's delaying queue.
    public func add(_ key: String, after seconds: TimeInterval) {
        guard seconds > 0 else { return add(key) }
        let deadline = clock.now().addingTimeInterval(seconds)
        let arm = state.withLock { s -> Bool in
            if s.shuttingDown { return false }
            if let existing = s.delayed[key], existing <= deadline { return false }
            s.delayed[key] = deadline
            return true
        }
        guard arm else { return }
        Task { [clock] in
            // Safe to ignore: the sleep throws only on cancellation, and nothing cancels this task.
            try? await clock.sleep(until: deadline)
            let fire = state.withLock { s -> Bool in
                guard s.delayed[key] == deadline else { return false }
                s.delayed[key] = nil
                return true
            }
            if fire { add(key) }
        }
    }

    /// Adds the key after its backoff: the key's own, which doubles with each consecutive
    /// failure, or the overall bucket's wait for a token, whichever is longer.
    public func addRateLimited(_ key: String) {
        let now = clock.now()
        let (n, bucketDelay) = state.withLock { s -> (Int, TimeInterval) in
            s.failures[key, default: 0] += 1
            return (s.failures[key] ?? 1, reserveToken(&s, now: now))
        }
        add(key, after: max(bucketDelay, min(maxDelay, baseDelay * pow(2, Double(min(n - 1, 40))))))
    }

    /// Takes a token from the overall bucket (golang.org/x/time/rate's `Reserve`): refills at
    /// `retriesPerSecond` up to `burst`, and an empty bucket lends the token against the future,
    /// returning how long until it is earned.
    private func reserveToken(_ s: inout State, now: Date) -> TimeInterval {
        let elapsed = max(0, now.timeIntervalSince(s.refilled ?? now))
        s.tokens = min(burst, s.tokens + elapsed * retriesPerSecond) - 1
        s.refilled = now
        return s.tokens >= 0 ? 0 : -s.tokens / retriesPerSecond
    }

    /// Clears the key's failure count after a success.
    public func forget(_ key: String) { state.withLock { _ = $0.failures.removeValue(forKey: key) } }

    public func failures(_ key: String) -> Int { state.withLock { $0.failures[key] ?? 0 } }

    /// Nothing queued and nothing being processed (delayed adds may still be pending).
    public var isIdle: Bool { state.withLock { $0.head >= $0.queue.count && $0.processing.isEmpty } }

    public var count: Int { state.withLock { $0.queue.count - $0.head } }

    /// Wakes every waiting worker with nil; later adds are ignored.
    public func shutDown() {
        let waiters = state.withLock { s -> [CheckedContinuation<String?, Never>] in
            s.shuttingDown = true
            defer { s.waiters = [] }
            return s.waiters
        }
        for w in waiters { w.resume(returning: nil) }
    }
}
