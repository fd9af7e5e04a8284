import Foundation
import KubeModel

/// How a port-forward connection carries SPDY: in the binary messages of a WebSocket
/// (`SPDY/3.1+portforward.k8s.io`, kubectl 1.31+), or straight on the upgraded connection
/// (`SPDY/3.1` with `portforward.k8s.io`, the fallback when the WebSocket is refused).
enum SPDYTransport: Sendable {
    case tunnel, raw

    /// One SPDY frame as written on the connection.
    func wrap(_ frame: [UInt8]) -> [UInt8] {
        self == .tunnel ? WebSocketClient.frame(opcode: WebSocketClient.binary, frame) : frame
    }
}

/// Dials `pods/NAME/portforward`, trying the WebSocket tunnel first and SPDY after any refusal
/// of it, as client-go's FallbackDialer does; a refusal of both is kubectl's
/// `error upgrading connection: ...`.
enum PortForwardDialer {
    static let tunnelProtocol = "SPDY/3.1+portforward.k8s.io"

    static func dial<R: Sendable>(_ config: RestConfig, userAgent: String, path: String,
                                  body: (UpgradedStream, SPDYTransport) async throws -> R) async throws -> R {
        var switched = false
        do {
            return try await StreamDialer.upgrade(config, userAgent: userAgent, method: "GET", path: path, query: [],
                                                  headers: WebSocketClient.handshake(protocols: [tunnelProtocol])) { connection in
                _ = try WebSocketClient.chosen(connection.headers, offered: [tunnelProtocol])
                switched = true
                return try await body(connection, .tunnel)
            }
        } catch where !switched {
            // Refused or not understood: SPDY on a new connection.
        }
        do {
            return try await StreamDialer.upgrade(config, userAgent: userAgent, method: "POST", path: path, query: [],
                                                  headers: [("Connection", "Upgrade"), ("Upgrade", "SPDY/3.1"), ("X-Stream-Protocol-Version", "portforward.k8s.io")]) { connection in
                switched = true
                return try await body(connection, .raw)
            }
        } catch let e as APIStatusError where !switched {
            throw APIStatusError(code: 0, reason: "", message: "error upgrading connection: \(e.message)")
        }
    }
}
