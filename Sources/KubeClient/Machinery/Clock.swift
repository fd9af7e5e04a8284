import Foundation
import Synchronization

/// Time as the control plane reads it: wall-clock dates for timestamps and deadlines, and
/// sleeping until a date. Every component takes one, so tests drive rollouts, backoffs and
/// deadlines on a `ManualClock` without sleeping. (swift-clocks, the usual choice, needs
/// swift-tools 6.4 in the version this machine's package mirror holds.)
public protocol WallClock: Sendable {
    func now() -> Date
    /// Returns at `deadline` (at once if it has passed); throws `CancellationError` if cancelled.
    func sleep(until deadline: Date) async throws
}

extension WallClock {
    public func sleep(for seconds: TimeInterval) async throws {
        try await sleep(until: now().addingTimeInterval(seconds))
    }
}

/// The machine's clock.
public struct SystemClock: WallClock {
    public init() {}
    public func now() -> Date { Date() }
    public func sleep(until deadline: Date) async throws {
        // At most about 31 years: a deadline from an object anyone writes (a grace period of
        // Int64.max seconds) must not overflow the conversion to the clock's nanoseconds.
        let seconds = min(deadline.timeIntervalSinceNow, 1e9)
        if seconds > 0 { try await Task.sleep(for: .seconds(seconds)) } else { try Task.checkCancellation() }
    }
}

/// A clock that moves only when `advance` is called; sleepers wake when their deadline passes.
public final class ManualClock: WallClock {
    private struct Sleeper {
        let deadline: Date
        let continuation: CheckedContinuation<Void, any Error>
    }
    private struct State {
        var now: Date
        var nextID: UInt64 = 0
        var sleepers: [UInt64: Sleeper] = [:]
        var cancelled: Set<UInt64> = []
    }
    private let state: Mutex<State>

    public init(start: Date = Date(timeIntervalSince1970: 1_790_000_000)) {
        state = Mutex(State(now: start))
    }

    public func now() -> Date { state.withLock { $0.now } }

    /// How many tasks are asleep on this clock (tests use it to know a timer is armed).
    public var sleepers: Int { state.withLock { $0.sleepers.count } }

    public func sleep(until deadline: Date) async throws {
        let id = state.withLock { s -> UInt64 in s.nextID += 1; return s.nextID }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, any Error>) in
                let outcome: Result<Void, any Error>? = state.withLock { s in
                    if s.cancelled.remove(id) != nil { return .failure(CancellationError()) }
                    if deadline <= s.now { return .success(()) }
                    s.sleepers[id] = Sleeper(deadline: deadline, continuation: c)
                    return nil
                }
                if let outcome { c.resume(with: outcome) }
            }
        } onCancel: {
            let sleeper = state.withLock { s -> Sleeper? in
                guard let sl = s.sleepers.removeValue(forKey: id) else { s.cancelled.insert(id); return nil }
                return sl
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves time forward and wakes every sleeper whose deadline has come.
    public func advance(by seconds: TimeInterval) {
        let due = state.withLock { s -> [Sleeper] in
            s.now = s.now.addingTimeInterval(seconds)
            let now = s.now
            let ids = s.sleepers.filter { $0.value.deadline <= now }.map(\.key)
            return ids.compactMap { s.sleepers.removeValue(forKey: $0) }
        }
        for s in due.sorted(by: { $0.deadline < $1.deadline }) { s.continuation.resume() }
    }
}
