import Foundation

/// The user's terminal for `exec -t` and `attach -t`, as kubectl's term.TTY handles it: raw
/// mode while the session lasts (keystrokes, Ctrl-C among them, go to the container), the
/// previous mode restored after, and the window size sent at the start and on every SIGWINCH.
final class RawTerminal {
    private var saved = termios()
    private let fd: Int32

    /// nil when standard input is not a terminal.
    init?(fd: Int32 = 0) {
        self.fd = fd
        guard isatty(fd) == 1, tcgetattr(fd, &saved) == 0 else { return nil }
        var raw = saved
        cfmakeraw(&raw)
        tcsetattr(fd, TCSANOW, &raw)
    }

    func restore() { tcsetattr(fd, TCSANOW, &saved) }

    /// The window's size, read from stdout's terminal, else stdin's (as kubectl's GetSize).
    static func size() -> (width: Int, height: Int)? {
        for fd in [Int32(1), 0] {
            var w = winsize()
            if ioctl(fd, UInt(TIOCGWINSZ), &w) == 0, w.ws_col > 0 { return (Int(w.ws_col), Int(w.ws_row)) }
        }
        return nil
    }

    /// The current size, then each new one; a size not yet sent is replaced by a newer one.
    static func sizes() -> AsyncStream<(width: Int, height: Int)> {
        let (stream, continuation) = AsyncStream<(width: Int, height: Int)>.makeStream(bufferingPolicy: .bufferingNewest(1))
        if let s = size() { continuation.yield(s) }
        signal(SIGWINCH, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGWINCH)
        source.setEventHandler { if let s = size() { continuation.yield(s) } }
        source.resume()
        // Safety: a dispatch source may be cancelled from any thread.
        nonisolated(unsafe) let watcher = source
        continuation.onTermination = { _ in watcher.cancel() }
        return stream
    }
}
