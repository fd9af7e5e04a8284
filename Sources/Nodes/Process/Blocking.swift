import Dispatch

/// Runs work that blocks its thread (waiting for an `ip` command, say) off the concurrency
/// pool, whose few threads (two on a two-core machine) every pod's sync and the in-process API
/// server share. A blocked pool thread would stall all of them. The queue's threads are bounded
/// by its callers: each kubelet worker, probe and hook waits for its own job.
enum Blocking {
    private static let queue = DispatchQueue(label: "kplane.kubelet.blocking", attributes: .concurrent)

    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { c in
            queue.async { c.resume(with: Result { try body() }) }
        }
    }

    static func run(_ body: @escaping @Sendable () -> Void) async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            queue.async {
                body()
                c.resume()
            }
        }
    }
}
