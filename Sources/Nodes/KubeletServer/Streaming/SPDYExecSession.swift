import Foundation
import KubeModel
import Synchronization

/// One exec or attach over SPDY with `v4.channel.k8s.io` (kubectl 1.27-1.29, and the fallback
/// of later ones), as the kubelet's remotecommand server runs it: kubectl opens a stream per
/// `streamtype` (`error`, then `stdin`, `stdout`, `stderr`, `resize` as asked); once all are
/// there the command starts (or the client is attached). Its output goes on `stdout`/`stderr`,
/// each finished (FIN) at its end, then the Status on `error` and its FIN, which ends kubectl.
struct SPDYExecSession {
    let spdy: SPDYConnection
    let options: RemoteCommandHandler.Options
    let waitsForSize: Bool
    let start: @Sendable (TerminalSize?) throws -> any RemoteCommandTarget

    private struct Streams {
        var ids: [String: UInt32] = [:]
        var start: SessionStart?
        /// Resize messages are JSON lines; a line may span DATA frames.
        var resizeLine: [UInt8] = []
    }

    private var expected: Set<String> {
        var s: Set<String> = ["error"]
        if options.stdin { s.insert("stdin") }
        if options.stdout { s.insert("stdout") }
        if options.stderr && !options.tty { s.insert("stderr") }
        if options.tty { s.insert("resize") }
        return s
    }

    func run() async {
        var streams = Streams()
        let expected = self.expected
        let finished = FinishFlag()
        await spdy.serve { event in
            switch event {
            case .opened(let id, let headers):
                guard let type = headers["streamtype"]?.first else { return true }
                streams.ids[type] = id
                if streams.start == nil, Set(streams.ids.keys).isSuperset(of: expected) {
                    let sessionStart = self.sessionStart(streams.ids)
                    streams.start = sessionStart
                    let ids = streams.ids, session = self
                    Task { await session.finish(sessionStart, ids, finished) }
                    sessionStart.begin()
                }
            case .data(let id, let fin, let payload):
                guard let sessionStart = streams.start else { return true }
                if id == streams.ids["stdin"] {
                    guard let target = await sessionStart.input() else { return true }
                    if !payload.isEmpty { _ = try? await Blocking.run { target.writeInput(payload) } }
                    if fin { target.closeInput() }
                } else if id == streams.ids["resize"] {
                    streams.resizeLine += payload
                    while let newline = streams.resizeLine.firstIndex(of: 10) {
                        let line = Array(streams.resizeLine[..<newline])
                        streams.resizeLine.removeFirst(newline + 1)
                        if let size = TerminalSize(message: line) { await sessionStart.resize(size) }
                    }
                }
            case .reset:
                break
            }
            return true
        }
        if !finished.isSet, let sessionStart = streams.start { await sessionStart.clientLeft()?.abandon() }
        spdy.transport.close()
    }

    /// The target with its output on the streams the client opened.
    private func sessionStart(_ ids: [String: UInt32]) -> SessionStart {
        let spdy = self.spdy
        return SessionStart(waitsForSize: waitsForSize,
                            stdout: { bytes in if let id = ids["stdout"] { try spdy.sendBlocking(id, bytes) } },
                            stderr: { bytes in if let id = ids["stderr"] { try spdy.sendBlocking(id, bytes) } },
                            make: start)
    }

    /// Once the output has ended (or the target could not start), finishes the streams and
    /// reports how the session ended on the error stream.
    private func finish(_ sessionStart: SessionStart, _ ids: [String: UInt32], _ finished: FinishFlag) async {
        let status: JSONValue
        switch await sessionStart.started() {
        case .success(let started): status = await started.output.value
        case .failure(let error): status = SessionStart.failureStatus(error)
        }
        finished.set()
        for type in ["stdout", "stderr"] { if let id = ids[type] { try? await spdy.send(id, fin: true, []) } }
        guard let error = ids["error"] else { return }
        try? await spdy.send(error, JSONSerializer.serialize(status))
        try? await spdy.send(error, fin: true, [])
    }
}

/// Whether a command's outputs have all been sent: a client leaving before then kills it.
final class FinishFlag: Sendable {
    private let value = Atomic<Bool>(false)
    var isSet: Bool { value.load(ordering: .acquiring) }
    func set() { value.store(true, ordering: .releasing) }
}
