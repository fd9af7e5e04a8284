import Foundation
import Logging

/// A level-triggered controller: informers put keys on its queue, workers call `reconcile`
/// for one key at a time; a failure is logged and requeues the key with backoff, a success
/// forgets it.
public protocol Controller: Sendable {
    var name: String { get }
    var queue: WorkQueue { get }
    /// Labelled with the controller's name; `run` logs each failed reconcile on it.
    var logger: Logger { get }
    /// Brings the object named by `key` (`namespace/name`) towards its desired state.
    func reconcile(_ key: String) async throws
}

extension Controller {
    /// Runs `workers` workers until the queue shuts down.
    public func run(workers: Int) async {
        logger.info("Starting controller", metadata: ["controller": "\(name)", "workers": "\(max(1, workers))"])
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<max(1, workers) {
                group.addTask {
                    while let key = await queue.get() {
                        let started = ContinuousClock.now
                        logger.debug("Syncing", metadata: ["key": "\(key)"])
                        do {
                            try await reconcile(key)
                            queue.forget(key)
                            logger.debug("Finished syncing", metadata: ["key": "\(key)", "duration": "\(ContinuousClock.now - started)"])
                        } catch {
                            logFailure(key, error)
                            queue.addRateLimited(key)
                        }
                        queue.done(key)
                    }
                }
            }
        }
        logger.info("Shutting down controller", metadata: ["controller": "\(name)"])
    }

    /// Every failure is logged with its key and error. A conflict or a vanished object is the
    /// optimistic concurrency every controller expects (the deployment controller logs it at
    /// V(2) as "Error syncing deployment"), so it shows at `-v 2`; anything else is an error,
    /// as client-go's `HandleError` prints "sync \"key\" failed".
    func logFailure(_ key: String, _ error: any Error) {
        let metadata: Logger.Metadata = ["key": "\(key)", "err": "\(error)", "requeues": "\(queue.failures(key))"]
        if let status = error as? APIStatusError, status.code == 409 || status.code == 404 {
            logger.debug("Error syncing; requeuing", metadata: metadata)
        } else {
            logger.error("Error syncing; requeuing", metadata: metadata)
        }
    }
}
