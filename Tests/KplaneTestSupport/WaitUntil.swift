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
