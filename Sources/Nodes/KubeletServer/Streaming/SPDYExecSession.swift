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
    let start: @Sendable () throws -> any RemoteCommandTarget

    private struct Streams {
        var ids: [String: UInt32] = [:]
        var target: (any RemoteCommandTarget)?
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
                if streams.target == nil, Set(streams.ids.keys).isSuperset(of: expected) {
                    do {
                        let target = try start()
                        streams.target = target
                        let ids = streams.ids, session = self
                        let output = target.stream(
                            stdout: { bytes in if let id = ids["stdout"] { try session.spdy.sendBlocking(id, bytes) } },
                            stderr: { bytes in if let id = ids["stderr"] { try session.spdy.sendBlocking(id, bytes) } })
                        Task { await session.finish(output, ids, finished) }
                    } catch {
                        let status: JSONValue = ["metadata": [:], "status": "Failure", "message": .string("\(error)"), "reason": "InternalError"]
                        if let e = streams.ids["error"] {
                            try? await spdy.send(e, JSONSerializer.serialize(status))
                            try? await spdy.send(e, fin: true, [])
                        }
                    }
                }
            case .data(let id, let fin, let payload):
                guard let target = streams.target else { return true }
                if id == streams.ids["stdin"] {
                    if !payload.isEmpty { _ = try? await Blocking.run { target.writeInput(payload) } }
                    if fin { target.closeInput() }
                } else if id == streams.ids["resize"] {
                    streams.resizeLine += payload
                    while let newline = streams.resizeLine.firstIndex(of: 10) {
                        let line = Array(streams.resizeLine[..<newline])
                        streams.resizeLine.removeFirst(newline + 1)
                        if let size = WebSocketExecSession.terminalSize(line) { target.resize(width: size.width, height: size.height) }
                    }
                }
            case .reset:
                break
            }
            return true
        }
        if !finished.isSet { streams.target?.abandon() }
        spdy.transport.close()
    }

    /// Once the output has ended, finishes its streams and reports how the session ended.
    private func finish(_ output: Task<JSONValue, Never>, _ ids: [String: UInt32], _ finished: FinishFlag) async {
        let status = await output.value
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
