import Foundation
import Hummingbird

/// The WebSocket handshake's server half (RFC 6455 4.2): the client's key and subprotocols in,
/// the 101 answer out.
struct WebSocketUpgrade {
    let isWebSocket: Bool
    let key: String
    let protocols: [String]

    init(_ request: Request) {
        let upgrade = (request.headers[.upgrade] ?? "").lowercased()
        key = request.headers[.secWebSocketKey] ?? ""
        isWebSocket = upgrade.contains("websocket") && !key.isEmpty
        protocols = request.headers[values: .secWebSocketProtocol].flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// The first of `supported` the client offered.
    func choose(_ supported: [String]) -> String? { supported.first { protocols.contains($0) } }

    func switchingProtocols(_ chosen: String) -> String {
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: \(WebSocketFrame.accept(key: key))\r\nSec-WebSocket-Protocol: \(chosen)\r\n\r\n"
    }
}
