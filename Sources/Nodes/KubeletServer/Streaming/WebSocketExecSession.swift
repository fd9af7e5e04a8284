import Foundation
import KubeModel
import NIOCore
import Synchronization

/// One exec or attach over WebSocket channels, as the kubelet's wsstream serves
/// `v5.channel.k8s.io` (and `v4`): every message is binary, its first byte the channel: 0 stdin,
/// 1 stdout, 2 stderr, 3 the final Status, 4 terminal resizes (`{"Width":W,"Height":H}`), and in
/// v5, 255 "close this channel" (stdin's end). The session ends with the Status and a close
/// frame 1000, which kubectl needs to exit with the command's code.
struct WebSocketExecSession {
    let connection: UpgradedConnection
    let start: SessionStart
    let v5: Bool

    static let stdin: UInt8 = 0, stdout: UInt8 = 1, stderr: UInt8 = 2, error: UInt8 = 3, resize: UInt8 = 4, close: UInt8 = 255

    /// The target `make` gives, with its output on this connection's channels.
    static func start(_ connection: UpgradedConnection, waitsForSize: Bool,
                      _ make: @escaping @Sendable (TerminalSize?) throws -> any RemoteCommandTarget) -> SessionStart {
        SessionStart(waitsForSize: waitsForSize,
                     stdout: { bytes in try connection.writeBlocking(Self.frame(Self.stdout, bytes)) },
                     stderr: { bytes in try connection.writeBlocking(Self.frame(Self.stderr, bytes)) },
                     make: make)
    }

    func run() async {
        let finished = FinishFlag()
        let session = self
        // Client → target. The client leaving first kills the command (or detaches).
        let reader = Task {
            await session.readClient()
            if !finished.isSet { await session.start.clientLeft()?.abandon() }
        }
        start.begin()
        let status: JSONValue
        switch await start.started() {
        case .success(let started): status = await started.output.value
        case .failure(let error): status = SessionStart.failureStatus(error)
        }
        finished.set()
        do {
            try await send(Self.error, JSONSerializer.serialize(status))
            try await connection.write(ByteBuffer(bytes: WebSocketFrame.closeFrame(1000)))
        } catch {}
        // kubectl answers the close and hangs up; don't wait for it forever.
        let timer = Task {
            try await Task.sleep(for: .seconds(5))
            connection.close()
        }
        await reader.value
        timer.cancel()
        connection.close()
    }

    /// A binary message on `channel`.
    static func frame(_ channel: UInt8, _ bytes: ArraySlice<UInt8>) -> ByteBuffer {
        ByteBuffer(bytes: WebSocketFrame.encode(opcode: WebSocketFrame.binary, [channel] + bytes))
    }

    private func send(_ channel: UInt8, _ bytes: [UInt8]) async throws {
        try await connection.write(ByteBuffer(bytes: WebSocketFrame.encode(opcode: WebSocketFrame.binary, [channel] + bytes)))
    }

    /// Reads the client's messages until it closes or goes.
    private func readClient() async {
        var frames = WebSocketFrameReader()
        while let chunk = await connection.next() {
            let events: [WebSocketFrameReader.Event]
            do { events = try frames.feed(chunk.readableBytesView) } catch {
                try? await connection.write(ByteBuffer(bytes: WebSocketFrame.closeFrame(1002)))
                return
            }
            for event in events {
                switch event {
                case .message(_, let payload):
                    guard let channel = payload.first else { continue }
                    await handle(channel, Array(payload.dropFirst()))
                case .ping(let data):
                    try? await connection.write(ByteBuffer(bytes: WebSocketFrame.encode(opcode: WebSocketFrame.pong, data)))
                case .pong:
                    continue
                case .close:
                    return
                }
            }
        }
    }

    private func handle(_ channel: UInt8, _ data: [UInt8]) async {
        switch channel {
        case Self.stdin:
            guard !data.isEmpty, let target = await start.input() else { return }
            _ = try? await Blocking.run { target.writeInput(data) }
        case Self.resize:
            if let size = TerminalSize(message: data) { await start.resize(size) }
        case Self.close where v5:
            if data.first == Self.stdin { await start.input()?.closeInput() }
        default:
            return
        }
    }
}
