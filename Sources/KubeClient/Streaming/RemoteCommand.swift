import Foundation
import KubeModel

/// The client of `pods/exec` and `pods/attach` over WebSocket channels, as client-go's
/// remotecommand speaks `v5.channel.k8s.io` (offering `v4.channel.k8s.io` after it): every
/// message is binary, its first byte the channel: 0 stdin, 1 stdout, 2 stderr, 3 the final
/// Status, 4 terminal sizes; in v5, 255 closes a channel (stdin's end). The session ends when
/// the server's close frame comes; the Status says how the command ended.
public enum RemoteCommand {
    public static let protocols = ["v5.channel.k8s.io", "v4.channel.k8s.io"]

    /// Where the streams go and come from; nil streams are not requested.
    public struct Streams: Sendable {
        public var stdin: AsyncStream<[UInt8]>?
        public var stdout: (@Sendable ([UInt8]) -> Void)?
        public var stderr: (@Sendable ([UInt8]) -> Void)?
        /// Terminal sizes (width, height), the first sent at once; only with a TTY.
        public var resizes: AsyncStream<(width: Int, height: Int)>?
        public var tty = false

        public init(stdin: AsyncStream<[UInt8]>? = nil, stdout: (@Sendable ([UInt8]) -> Void)? = nil, stderr: (@Sendable ([UInt8]) -> Void)? = nil,
                    resizes: AsyncStream<(width: Int, height: Int)>? = nil, tty: Bool = false) {
            self.stdin = stdin
            self.stdout = stdout
            self.stderr = stderr
            self.resizes = resizes
            self.tty = tty
        }

        /// PodExecOptions' flags as kubectl sends them: only the true ones, sorted by name.
        var query: [(String, String)] {
            [("stderr", stderr != nil), ("stdin", stdin != nil), ("stdout", stdout != nil), ("tty", tty)].filter(\.1).map { ($0.0, "true") }
        }
    }

    /// A command that ran and ended with a non-zero code (kubectl exits with it).
    public struct ExitCode: Error, CustomStringConvertible {
        public let code: Int
        public var description: String { "command terminated with exit code \(code)" }
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    static let stdinChannel: UInt8 = 0, stdoutChannel: UInt8 = 1, stderrChannel: UInt8 = 2, errorChannel: UInt8 = 3, resizeChannel: UInt8 = 4
    static let closeChannel: UInt8 = 255

    /// Runs the session at `path` (`…/pods/NAME/exec` or `/attach`) with `options` (command,
    /// container) before the stream flags; throws `ExitCode` or the Status' failure.
    public static func run(_ config: RestConfig, userAgent: String, path: String, options: [(String, String)], streams: Streams) async throws {
        try await StreamDialer.upgrade(config, userAgent: userAgent, method: "GET", path: path, query: options + streams.query,
                                       headers: WebSocketClient.handshake(protocols: protocols)) { connection in
            let chosen = try WebSocketClient.chosen(connection.headers, offered: protocols)
            let status = try await withThrowingTaskGroup(of: Void.self) { group in
                let writer = connection.writer
                if let stdin = streams.stdin {
                    group.addTask {
                        for await chunk in stdin where !chunk.isEmpty {
                            try await writer.write(WebSocketClient.frame(opcode: WebSocketClient.binary, [stdinChannel] + chunk))
                        }
                        // v4 has no way to say stdin ended; v5 closes the channel.
                        if chosen.hasPrefix("v5") { try await writer.write(WebSocketClient.frame(opcode: WebSocketClient.binary, [closeChannel, stdinChannel])) }
                    }
                }
                if let resizes = streams.resizes {
                    group.addTask {
                        for await size in resizes {
                            let json = "{\"Width\":\(size.width),\"Height\":\(size.height)}\n"
                            try await writer.write(WebSocketClient.frame(opcode: WebSocketClient.binary, [resizeChannel] + Array(json.utf8)))
                        }
                    }
                }
                defer { group.cancelAll() }
                return try await readUntilClosed(connection, streams)
            }
            try decode(status)
        }
    }

    /// Copies the server's channels out until its close frame; returns the error channel's bytes.
    private static func readUntilClosed(_ connection: UpgradedStream, _ streams: Streams) async throws -> [UInt8] {
        var frames = WebSocketClient()
        var status: [UInt8] = []
        while let bytes = try await connection.read() {
            for event in try frames.feed(bytes) {
                switch event {
                case .message(let payload):
                    guard let channel = payload.first else { continue }
                    let data = Array(payload.dropFirst())
                    switch channel {
                    case stdoutChannel: streams.stdout?(data)
                    case stderrChannel: streams.stderr?(data)
                    case errorChannel: status += data
                    default: continue
                    }
                case .ping(let data):
                    try await connection.writer.write(WebSocketClient.frame(opcode: WebSocketClient.pong, data))
                case .close:
                    try? await connection.writer.write(WebSocketClient.normalClose)
                    return status
                }
            }
        }
        // The connection ended without a close frame: gorilla's error, as kubectl reports it.
        throw Failure(description: "error reading from error stream: next reader: websocket: close 1006 (abnormal closure): unexpected EOF")
    }

    /// client-go's errorDecoderV4: no Status or Success is a clean end; NonZeroExitCode carries
    /// the code in an `ExitCode` cause; any other failure is its message.
    static func decode(_ message: [UInt8]) throws {
        guard !message.isEmpty else { return }
        guard let status = try? JSONParser.parse(message), status.objectValue != nil else {
            throw Failure(description: "error stream protocol error: invalid character in \(goQuote(String(decoding: message, as: UTF8.self)))")
        }
        switch status["status"]?.stringValue {
        case "Success": return
        case "Failure":
            guard status["reason"]?.stringValue == "NonZeroExitCode" else { throw Failure(description: status["message"]?.stringValue ?? "") }
            guard let causes = status["details"]?["causes"]?.arrayValue else { throw Failure(description: "error stream protocol error: details must be set") }
            for cause in causes where cause["reason"]?.stringValue == "ExitCode" {
                let text = cause["message"]?.stringValue ?? ""
                guard let code = UInt8(text) else { throw Failure(description: "error stream protocol error: invalid exit code value \(goQuote(text))") }
                throw ExitCode(code: Int(code))
            }
            throw Failure(description: "error stream protocol error: no ExitCode cause given")
        default:
            throw Failure(description: "error stream protocol error: unknown error")
        }
    }
}
