import Foundation

/// Polls `condition` every `interval` seconds until it holds; after `seconds`, throws
/// `TimedOut`, which the test reports with what it waited for.
public func waitUntil(_ what: String, seconds: Double = 20, interval: Double = 0.1, _ condition: () throws -> Bool) throws {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try condition() { return }
        usleep(useconds_t(interval * 1_000_000))
    }
    throw TimedOut(what: what, seconds: seconds)
}

/// A condition a test waited for did not come to hold in time.
public struct TimedOut: Error, CustomStringConvertible {
    public let what: String
    public let seconds: Double
    public var description: String { "timed out waiting for \(what) (\(seconds) s)" }
}

/// `waitUntil` for async tests: sleeps with `Task.sleep`, so no thread of the concurrency
/// pool (two on a 2-core machine) is blocked while waiting.
public func eventually(_ what: String, seconds: Double = 20, interval: Double = 0.1, _ condition: () async throws -> Bool) async throws {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .seconds(interval))
    }
    throw TimedOut(what: what, seconds: seconds)
}

/// Runs blocking work (a child process to its end, a file read) on a thread of its own and
/// awaits it, so the concurrency pool is never blocked.
public func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { c in
        Thread.detachNewThread { c.resume(with: Result { try work() }) }
    }
}
