import Dispatch
import Foundation
import Synchronization
import Testing

/// Runs each test of a suite on a thread of its own instead of Swift's concurrency pool.
///
/// For suites of synchronous tests that block: they wait for kubectl or a `kplane` process to
/// exit and poll with sleeps. On a test thread of the pool (two on a 2-core machine) two such
/// tests at once leave no thread for every in-process API server of the run, which then stand
/// still until the blocking tests finish and their clients time out. Under this trait the test
/// body runs on a task executor backed by a dispatch queue, whose thread may block without
/// taking one from the pool. As many of them run at once as the pool has threads (the number
/// of cores), as before: the others wait for a turn without holding a thread.
public struct OffPoolTrait: SuiteTrait, TestTrait, TestScoping {
    public var isRecursive: Bool { true }

    /// Each test case, once (a test function's scope around all its cases would take a
    /// second turn around each case's own).
    public func scopeProvider(for test: Test, testCase: Test.Case?) -> Self? {
        testCase == nil ? nil : self
    }

    public func provideScope(for test: Test, testCase: Test.Case?,
                             performing function: @Sendable () async throws -> Void) async throws {
        await OffPoolTurns.shared.take()
        defer { OffPoolTurns.shared.giveBack() }
        let executor = QueueTaskExecutor(label: "kplane.test.\(test.name)")
        try await withTaskExecutorPreference(executor) { try await function() }
    }

    /// Whether the caller runs on a queue of this trait (so its tests can check the trait).
    public static var isCurrent: Bool { DispatchQueue.getSpecific(key: QueueTaskExecutor.marker) != nil }
}

extension Trait where Self == OffPoolTrait {
    /// The suite's tests block (child processes, sleeps): run them off the concurrency pool.
    public static var offPool: Self { OffPoolTrait() }
}

/// A task executor running its jobs on a serial dispatch queue. A serial queue's work runs on
/// libdispatch's overcommitting threads, so a job that blocks holds its own thread only.
final class QueueTaskExecutor: TaskExecutor {
    private let queue: DispatchQueue

    static let marker = DispatchSpecificKey<Bool>()

    init(label: String) {
        queue = DispatchQueue(label: label)
        queue.setSpecific(key: Self.marker, value: true)
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}

/// Turns for off-pool tests: one per core, waited for by suspending.
final class OffPoolTurns: Sendable {
    static let shared = OffPoolTurns(width: ProcessInfo.processInfo.activeProcessorCount)

    private let state: Mutex<(free: Int, waiters: [CheckedContinuation<Void, Never>])>

    init(width: Int) { state = Mutex((max(1, width), [])) }

    func take() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let granted = state.withLock { s -> Bool in
                if s.free > 0 {
                    s.free -= 1
                    return true
                }
                s.waiters.append(c)
                return false
            }
            if granted { c.resume() }
        }
    }

    /// Hands the turn to the longest waiter (resumed outside the lock), else frees it.
    func giveBack() {
        let next = state.withLock { s -> CheckedContinuation<Void, Never>? in
            if s.waiters.isEmpty {
                s.free += 1
                return nil
            }
            return s.waiters.removeFirst()
        }
        next?.resume()
    }
}
