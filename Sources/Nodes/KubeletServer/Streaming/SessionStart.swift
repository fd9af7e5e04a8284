import Foundation
import KubeClient
import KubeModel
import Synchronization

/// When an exec or attach session's target starts, once.
///
/// A command given a terminal waits for the client's first terminal size (kubectl sends it as
/// soon as its streams are up) and starts with its terminal that size, so what it first asks
/// of the terminal (a shell's prompt, `stty size`, a full-screen program) is the user's window
/// and not 0×0. A client that sends no size (the Python client's stream) has its command
/// started after `sizeWait`, or at its first input. Everything else starts at once.
///
/// Starting includes handing the target its output sinks, so no output of a command answering
/// the client's first input is missed.
final class SessionStart: Sendable {
    /// A started target and its output's end (the Status for the error channel).
    struct Started: Sendable {
        let target: any RemoteCommandTarget
        let output: Task<JSONValue, Never>
    }

    static let sizeWait: Duration = .seconds(1)

    let waitsForSize: Bool
    private let start: @Sendable (TerminalSize?) throws -> Started
    private let claimed = Atomic<Bool>(false)
    private let result = OneShot<Result<Started, any Error>>()

    /// `start` makes the target (of `size` when known) and starts its output.
    init(waitsForSize: Bool, start: @escaping @Sendable (TerminalSize?) throws -> Started) {
        self.waitsForSize = waitsForSize
        self.start = start
    }

    /// The target `make` gives, its output handed to `stdout` and `stderr`.
    convenience init(waitsForSize: Bool, stdout: @escaping OutputAttachment.Sink, stderr: @escaping OutputAttachment.Sink,
                     make: @escaping @Sendable (TerminalSize?) throws -> any RemoteCommandTarget) {
        self.init(waitsForSize: waitsForSize) { size in
            let target = try make(size)
            return Started(target: target, output: target.stream(stdout: stdout, stderr: stderr))
        }
    }

    /// Begins: at once, or after `sizeWait` unless a size comes first.
    func begin() {
        guard waitsForSize else {
            startOnce(size: nil)
            return
        }
        Task { [self] in
            try? await Task.sleep(for: Self.sizeWait)
            startOnce(size: nil)
        }
    }

    /// Starts the target with `size` unless it has started; returns whether this call did.
    @discardableResult
    func startOnce(size: TerminalSize?) -> Bool {
        guard claimed.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return false }
        let start = self.start
        result.fulfil(Result { try start(size) })
        return true
    }

    /// The client left: a target not started yet never starts. Returns the started one, if any,
    /// for the caller to abandon.
    func clientLeft() async -> (any RemoteCommandTarget)? {
        if claimed.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged {
            result.fulfil(.failure(CancellationError()))
            return nil
        }
        return await target()
    }

    /// The started target, or why it could not start.
    func started() async -> Result<Started, any Error> { await result.wait() }

    /// The target once started; nil if it could not start.
    func target() async -> (any RemoteCommandTarget)? {
        if case .success(let s) = await started() { return s.target }
        return nil
    }

    /// A resize from the client: the size to start with, or a resize of the started target.
    func resize(_ size: TerminalSize) async {
        if startOnce(size: size) { return }
        await target()?.resize(width: size.width, height: size.height)
    }

    /// Input from the client: a command still waiting for a size starts without one.
    func input() async -> (any RemoteCommandTarget)? {
        startOnce(size: nil)
        return await target()
    }

    /// The Status a start failure is reported with on the error channel, as the kubelet passes
    /// a runtime's exec error.
    static func failureStatus(_ error: any Error) -> JSONValue {
        ["metadata": [:], "status": "Failure", "message": .string("\(error)"), "reason": "InternalError", "code": 500]
    }
}
