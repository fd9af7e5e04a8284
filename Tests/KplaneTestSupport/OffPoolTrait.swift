import Dispatch
import Testing

/// Runs each test of a suite on a thread of its own instead of Swift's concurrency pool.
///
/// For suites of synchronous tests that block: they wait for kubectl or a `kplane` process to
/// exit and poll with sleeps. On a test thread of the pool (two on a 2-core machine) two such
/// tests at once leave no thread for every in-process API server of the run, which then stand
/// still until the blocking tests finish and their clients time out. Under this trait the test
/// body runs on a task executor backed by a dispatch queue, whose thread may block without
/// taking one from the pool.
public struct OffPoolTrait: SuiteTrait, TestTrait, TestScoping {
    public var isRecursive: Bool { true }

    public func scopeProvider(for test: Test, testCase: Test.Case?) -> Self? {
        test.isSuite ? nil : self
    }

    public func provideScope(for test: Test, testCase: Test.Case?,
                             performing function: @Sendable () async throws -> Void) async throws {
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
