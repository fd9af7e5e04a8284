import Foundation

/// An error of the autoscaler's computation, carrying the message kube-controller-manager would
/// format, so conditions and events read the same as on a real cluster.
struct HPAError: Error, Equatable, CustomStringConvertible {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }

    /// Wraps an underlying error with a prefix, as Go's `fmt.Errorf("prefix: %v", err)` does.
    func wrapped(_ prefix: String) -> HPAError { HPAError("\(prefix): \(message)") }
}
