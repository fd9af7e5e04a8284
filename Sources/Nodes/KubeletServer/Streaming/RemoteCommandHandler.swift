import Foundation
import Hummingbird
import KubeModel
import NIOCore

/// `/exec/{namespace}/{pod}/{container}?command=…&stdin=…&stdout=…&stderr=…&tty=…`, as the
/// kubelet's getExec serves it (and `/attach/…`, below): the streams checked, the running
/// container found, the connection upgraded and the command run in the container. The kubelet terminates the
/// WebSocket protocols kubectl speaks (`v5.channel.k8s.io`, `v4.channel.k8s.io`); the API server
/// only authorizes and splices bytes (see the API server's `PodStreamProxy`). Errors before the
/// upgrade are plain text with the kubelet's status codes; the API server passes them on.
struct RemoteCommandHandler {
    let source: any ContainerExecSource

    /// The options of client-go's remotecommand request (`PodExecOptions` as a query).
    struct Options {
        var command: [String] = []
        var stdin = false, stdout = false, stderr = false, tty = false

        init(_ request: Request) {
            for (k, value) in Self.query(request.uri.query ?? "") {
                switch k {
                case "command", "input": command.append(value)
                case "stdin": stdin = Self.bool(value)
                case "stdout": stdout = Self.bool(value)
                case "stderr": stderr = Self.bool(value)
                case "tty": tty = Self.bool(value)
                default: continue
                }
            }
            // A terminal carries stderr on stdout (kubelet's NewOptions).
            if tty { stderr = false }
        }

        /// The query as Go's url.ParseQuery reads it: `+` is a space, then %-escapes; in order.
        static func query(_ raw: String) -> [(String, String)] {
            raw.split(separator: "&").compactMap { pair in
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                func decode(_ s: Substring) -> String? { s.replacingOccurrences(of: "+", with: " ").removingPercentEncoding }
                guard let k = decode(parts[0]) else { return nil }
                return (k, parts.count > 1 ? decode(parts[1]) ?? "" : "")
            }
        }

        static func bool(_ s: String) -> Bool { ["1", "t", "T", "true", "TRUE", "True"].contains(s) }
    }

    func exec(_ request: Request, channel: any Channel, namespace: String, pod: String, container: String) async -> Response {
        let options = Options(request)
        guard options.stdin || options.stdout || options.stderr else {
            return Self.text("you must specify at least 1 of stdin, stdout, stderr", .badRequest)
        }
        guard !options.command.isEmpty else { return Self.text("you must specify a command", .badRequest) }
        guard source.pod(namespace: namespace, name: pod) != nil else { return Self.text("pod does not exist", .notFound) }
        guard let target = source.execTarget(namespace: namespace, pod: pod, container: container) else {
            return Self.text("container not found (\"\(container)\")", .internalServerError)
        }
        // A terminal's command waits for the client's size (SessionStart).
        return await serve(request, channel, options, waitsForSize: options.tty) { size in
            do {
                let command = try ContainerCommand(options.command, in: target, stdin: options.stdin, stdout: options.stdout,
                                                   stderr: options.stderr, tty: options.tty, size: size)
                return ExecCommand(command: command, argv: options.command)
            } catch {
                throw StartFailure(message: "failed to exec in container: \(error)")
            }
        }
    }

    /// `/attach/{namespace}/{pod}/{container}?stdin=…&stdout=…&stderr=…&tty=…`, as the kubelet's
    /// getAttach serves it: the streams checked, the running container found (its TTY is the
    /// one it was created with), the connection upgraded and the client attached to the
    /// container's process.
    func attach(_ request: Request, channel: any Channel, namespace: String, pod: String, container: String) async -> Response {
        let options = Options(request)
        guard options.stdin || options.stdout || options.stderr else {
            return Self.text("you must specify at least 1 of stdin, stdout, stderr", .badRequest)
        }
        guard source.pod(namespace: namespace, name: pod) != nil else { return Self.text("pod does not exist", .notFound) }
        guard let target = source.attachTarget(namespace: namespace, pod: pod, container: container) else {
            return Self.text("container \(container) not found in pod \(pod)_\(namespace)", .internalServerError)
        }
        // The runtime's check (CRI validateAttachRequest), passed on as the kubelet passes a
        // runtime's error: a terminal has one output stream.
        if target.tty && options.stderr {
            return Self.text("rpc error: code = InvalidArgument desc = tty and stderr cannot both be true", .internalServerError)
        }
        // The container runs already: resizes apply as they come.
        return await serve(request, channel, options, waitsForSize: false) { _ in ContainerAttach(target, options: options) }
    }

    /// Why a session's target could not start, as the client is told.
    struct StartFailure: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    /// Upgrades to SPDY or WebSocket, whichever the client asked for, and runs the session.
    private func serve(_ request: Request, _ channel: any Channel, _ options: Options, waitsForSize: Bool,
                       start: @escaping @Sendable (TerminalSize?) throws -> any RemoteCommandTarget) async -> Response {
        let websocket = WebSocketUpgrade(request)
        if !websocket.isWebSocket, let spdy = SPDYUpgrade(request) {
            guard let chosen = spdy.choose(Self.spdyProtocols) else {
                return Self.text("unable to upgrade: unable to negotiate protocol: client supports \(spdy.protocols), server supports \(Self.spdyProtocols)", .forbidden)
            }
            do {
                let connection = try await UpgradedConnection.takeOver(channel)
                try await connection.write(ByteBuffer(string: spdy.switchingProtocols(chosen)))
                await SPDYExecSession(spdy: try SPDYConnection(transport: RawTransport(connection: connection)), options: options,
                                      waitsForSize: waitsForSize, start: start).run()
            } catch {}
            return Response(status: .ok)
        }
        guard websocket.isWebSocket else { return Self.text("Upgrade request required", .badRequest) }
        guard let chosen = websocket.choose(Self.webSocketProtocols) else {
            return Self.text("requested protocol(s) are not supported: \(websocket.protocols); supports \(Self.webSocketProtocols)", .badRequest)
        }
        // With no size to wait for, the target starts before the upgrade: a failure is then the
        // kubelet's plain 500. A terminal's command reports one on the error channel.
        let early: (any RemoteCommandTarget)?
        do { early = waitsForSize ? nil : try start(nil) } catch {
            return Self.text("\(error)", .internalServerError)
        }
        do {
            let connection = try await UpgradedConnection.takeOver(channel)
            try await connection.write(ByteBuffer(string: websocket.switchingProtocols(chosen)))
            let sessionStart = WebSocketExecSession.start(connection, waitsForSize: waitsForSize) { size in try early ?? start(size) }
            await WebSocketExecSession(connection: connection, start: sessionStart, v5: chosen.hasPrefix("v5")).run()
        } catch {
            early?.abandon()
        }
        // The connection is closed; Hummingbird's write of this finds it so and stops.
        return Response(status: .ok)
    }

    static let webSocketProtocols = ["v5.channel.k8s.io", "v4.channel.k8s.io"]
    /// Over SPDY, v5 adds nothing to v4 (SPDY has its own half-close), so v4 is served.
    static let spdyProtocols = ["v4.channel.k8s.io"]

    static func text(_ message: String, _ status: HTTPResponse.Status) -> Response {
        ContainerLogsHandler.text(message, status)
    }
}
