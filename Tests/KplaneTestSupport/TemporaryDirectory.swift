import Foundation

/// A new, empty folder under the system's temporary directory, for a server's data or a
/// kubectl cache.
public func temporaryDirectory() -> String {
    let path = NSTemporaryDirectory() + "kplane-test-" + UUID().uuidString
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}
