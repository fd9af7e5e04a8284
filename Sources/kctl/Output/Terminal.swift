import Foundation

/// Writes to stdout/stderr. Output is buffered and flushed once, which keeps big listings fast.
enum Terminal {
    static func out(_ s: String) {
        FileHandle.standardOutput.write(Data(s.utf8))
    }

    static func line(_ s: String) { out(s + "\n") }

    static func err(_ s: String) {
        FileHandle.standardError.write(Data((s.hasSuffix("\n") ? s : s + "\n").utf8))
    }

    /// An error line as kubectl prints it (`error: ...` unless the text is already a full message).
    static func error(_ s: String) {
        err(s.hasPrefix("Error from server") || s.hasPrefix("The ") || s.hasPrefix("error:") || s.hasPrefix("Unable") ? s : "error: " + s)
    }
}
