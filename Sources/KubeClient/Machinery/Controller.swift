import Foundation
import KubeClient

/// A level-triggered controller: informers put keys on its queue, workers call `reconcile`
/// for one key at a time; a failure requeues the key with backoff, a success forgets it.
public protocol Controller: Sendable {
    var name: String { get }
    var queue: WorkQueue { get }
    /// Brings the object named by `key` (`namespace/name`) towards its desired state.
    func reconcile(_ key: String) async throws
}

extension Controller {
    /// Runs `workers` workers until the queue shuts down.
    public func run(workers: Int) async {
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<max(1, workers) {
                group.addTask {
                    while let key = await queue.get() {
                        do {
                            try await reconcile(key)
                            queue.forget(key)
                        } catch {
                            queue.addRateLimited(key)
                        }
                        queue.done(key)
                    }
                }
            }
        }
    }
}
