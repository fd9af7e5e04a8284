import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// `/portForward/{namespace}/{pod}`, as the kubelet's getPortForward serves it: SPDY/3.1 with
/// `portforward.k8s.io` (kubectl 1.27-1.30, and the fallback of later ones), or the same SPDY
/// byte stream in WebSocket binary messages (`SPDY/3.1+portforward.k8s.io`, kubectl 1.31+,
/// which kube-apiserver's tunnelling handler unwraps; here the kubelet does).
struct PortForwardHandler {
    let source: any ContainerExecSource
    static let spdyProtocol = "portforward.k8s.io"
    static let tunnelProtocol = "SPDY/3.1+portforward.k8s.io"

    func serve(_ request: Request, channel: any Channel, namespace: String, pod: String) async -> Response {
        guard source.pod(namespace: namespace, name: pod) != nil, let target = source.portForwardTarget(namespace: namespace, pod: pod) else {
            return RemoteCommandHandler.text("pod does not exist", .notFound)
        }
        let websocket = WebSocketUpgrade(request)
        let answer: String
        let tunnelled: Bool
        if websocket.isWebSocket {
            guard let chosen = websocket.choose([Self.tunnelProtocol]) else {
                return RemoteCommandHandler.text("requested protocol(s) are not supported: \(websocket.protocols); supports [\(Self.tunnelProtocol)]", .badRequest)
            }
            answer = websocket.switchingProtocols(chosen)
            tunnelled = true
        } else if let spdy = SPDYUpgrade(request) {
            guard spdy.choose([Self.spdyProtocol]) != nil else {
                return RemoteCommandHandler.text("unable to upgrade: unable to negotiate protocol: client supports \(spdy.protocols), server supports [\(Self.spdyProtocol)]", .forbidden)
            }
            answer = spdy.switchingProtocols(Self.spdyProtocol)
            tunnelled = false
        } else {
            return RemoteCommandHandler.text("Upgrade request required", .badRequest)
        }
        do {
            let connection = try await UpgradedConnection.takeOver(channel)
            try await connection.write(ByteBuffer(string: answer))
            let transport: any StreamTransport = tunnelled ? WebSocketTunnel(connection) : RawTransport(connection: connection)
            await (try PortForwardSession(transport: transport, target: target)).run()
        } catch {}
        return Response(status: .ok)
    }
}

/// The SPDY upgrade's server half (httpstream's Handshake): the client's
/// `X-Stream-Protocol-Version`s in, the 101 naming the chosen one out.
struct SPDYUpgrade {
    let protocols: [String]

    init?(_ request: Request) {
        guard (request.headers[.upgrade] ?? "").lowercased() == "spdy/3.1" else { return nil }
        protocols = request.headers[values: HTTPField.Name("X-Stream-Protocol-Version")!].flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// The first of the client's protocols the server supports (httpstream's negotiateProtocol).
    func choose(_ supported: [String]) -> String? { protocols.first { supported.contains($0) } }

    func switchingProtocols(_ chosen: String) -> String {
        "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: \(chosen)\r\n\r\n"
    }
}
