import Foundation
import KubeModel
import NIOCore
import NIOPosix
import NIOSSL

/// Opens an upgraded connection to the API server, as client-go's streaming round-trippers do
/// for `pods/exec`, `pods/attach` and `pods/portforward`: a TCP (or TLS) connection of its own,
/// the upgrade request with the kubeconfig's credentials, and the server's answer. A 101 hands
/// the connection to `body`; any other answer is thrown as kubectl reports it.
public enum StreamDialer {
    /// The largest response head or refusal body read (a Status is a few hundred bytes).
    static let maxHead = 64 * 1024

    /// Dials `path?query` with `headers` added to the request head, and runs `body` on the
    /// switched connection; the connection is closed when `body` returns.
    public static func upgrade<R: Sendable>(
        _ config: RestConfig, userAgent: String, method: String, path: String, query: [(String, String)],
        headers: [(String, String)], body: (UpgradedStream) async throws -> R
    ) async throws -> R {
        guard let url = URL(string: config.server), let host = url.host, !host.isEmpty else {
            throw APIStatusError(code: 0, reason: "", message: "invalid server address \(config.server)")
        }
        let tls = url.scheme == "https"
        let port = url.port ?? (tls ? 443 : 80)
        let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
        do {
            let context = try tls ? NIOSSLContext(configuration: try TLSClients.configuration(config.tls ?? TLSSettings())) : nil
            // SNI and verification name the host, unless it is an address.
            let serverName = host.first?.isNumber == true || host.contains(":") ? nil : host
            channel = try await ClientBootstrap(group: clientEventLoops)
                .connectTimeout(.seconds(10))
                .connect(host: host, port: port) { ch in
                    ch.eventLoop.makeCompletedFuture {
                        if let context {
                            try ch.pipeline.syncOperations.addHandler(try NIOSSLClientHandler(context: context, serverHostname: serverName))
                        }
                        return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: ch)
                    }
                }
        } catch let e as Kubeconfig.Failure {
            throw e
        } catch {
            throw APIStatusError(code: 0, reason: "", message: HTTPAPIClient.describeTransport(error, server: config.server))
        }
        let target = url.path.trimmingSuffix("/") + path
        var head = "\(method) \(target)\(query.isEmpty ? "" : "?" + query.map { "\(HTTPAPIClient.encode($0.0))=\(HTTPAPIClient.encode($0.1))" }.joined(separator: "&")) HTTP/1.1\r\n"
        head += "Host: \(url.port.map { "\(host):\($0)" } ?? host)\r\nUser-Agent: \(userAgent)\r\n"
        if let token = config.token { head += "Authorization: Bearer \(token)\r\n" }
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if method == "POST" { head += "Content-Length: 0\r\n" }
        head += "\r\n"
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(string: head))
            let stream = UpgradedStream(inbound: inbound, outbound: outbound, channel: channel.channel)
            let answer = try await stream.readHead()
            guard answer.code == 101 else { throw try await stream.refusal(answer) }
            stream.headers = answer.headers
            return try await body(stream)
        }
    }
}

/// The connection after a 101: its bytes in (read by one task) and out (written by any).
public final class UpgradedStream {
    /// The 101's headers, names lowercased.
    public internal(set) var headers: [String: String] = [:]
    public let writer: StreamWriter
    private var iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    private var pending: [UInt8] = []

    init(inbound: NIOAsyncChannelInboundStream<ByteBuffer>, outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>, channel: any Channel) {
        iterator = inbound.makeAsyncIterator()
        writer = StreamWriter(outbound: outbound, channel: channel)
    }

    /// The next bytes from the server; nil once it has closed the connection.
    public func read() async throws -> [UInt8]? {
        if !pending.isEmpty {
            defer { pending = [] }
            return pending
        }
        guard let buffer = try await iterator.next() else { return nil }
        return Array(buffer.readableBytesView)
    }

    struct Head {
        var code: Int
        var headers: [String: String]
    }

    /// The status line and headers; what follows stays for `read`.
    func readHead() async throws -> Head {
        var bytes: [UInt8] = []
        while true {
            if let end = bytes.firstRange(of: [13, 10, 13, 10]) {
                pending = Array(bytes[end.upperBound...])
                let lines = String(decoding: bytes[..<end.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
                let status = lines.first?.split(separator: " ")
                guard let status, status.count >= 2, let code = Int(status[1]) else { throw Self.malformed }
                var headers: [String: String] = [:]
                for line in lines.dropFirst() {
                    guard let colon = line.firstIndex(of: ":") else { continue }
                    headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                }
                return Head(code: code, headers: headers)
            }
            guard bytes.count < StreamDialer.maxHead, let chunk = try await iterator.next() else { throw Self.malformed }
            bytes += chunk.readableBytesView
        }
    }

    static let malformed = APIStatusError(code: 0, reason: "", message: "error reading the server's answer to the upgrade request")

    /// A refused upgrade as client-go reports it: the server's Status (`Error from server
    /// (NotFound): ...`), or its text as `unable to upgrade connection: ...`.
    func refusal(_ head: Head) async throws -> APIStatusError {
        let length = Int(head.headers["content-length"] ?? "") ?? StreamDialer.maxHead
        var body: [UInt8] = []
        while body.count < min(length, StreamDialer.maxHead), let chunk = try await read() { body += chunk }
        let response = APIResponse(status: head.code, contentType: head.headers["content-type"] ?? "", body: Array(body.prefix(length)))
        if response.json?["kind"] == "Status" { return APIStatusError(response: response) }
        let text = String(decoding: response.body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        // An empty body decodes as an empty Status: kubectl prints `Error from server: `.
        if text.isEmpty { return APIStatusError(code: head.code, reason: "", message: "") }
        return APIStatusError(code: 0, reason: "", message: "unable to upgrade connection: \(text)")
    }
}

/// Writes to an upgraded connection; each call's bytes go out together, never interleaved
/// with another's.
public struct StreamWriter: Sendable {
    let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    let channel: any Channel

    public func write(_ bytes: [UInt8]) async throws {
        try await outbound.write(ByteBuffer(bytes: bytes))
    }

    /// Closes the connection: its reader sees the end.
    public func close() { channel.close(promise: nil) }
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String {
        var s = self
        while s.hasSuffix(suffix) { s.removeLast(suffix.count) }
        return s
    }
}
