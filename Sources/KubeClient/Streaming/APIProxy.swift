import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// `kubectl proxy`'s server: a local HTTP server that passes each request on to the API server
/// with the kubeconfig's credentials, and streams the answer back (watches and log follows
/// included). Requests outside `apiPrefix` get 404; those the filter refuses (hosts, paths,
/// methods, as kubectl's FilterServer) get 403.
public struct APIProxy: Sendable {
    public struct Filter: Sendable {
        public var acceptHosts: [String]
        public var acceptPaths: [String]
        public var rejectPaths: [String]
        public var rejectMethods: [String]
        public var disabled = false

        public init(acceptHosts: [String], acceptPaths: [String], rejectPaths: [String], rejectMethods: [String], disabled: Bool) {
            self.acceptHosts = acceptHosts
            self.acceptPaths = acceptPaths
            self.rejectPaths = rejectPaths
            self.rejectMethods = rejectMethods
            self.disabled = disabled
        }

        func accepts(method: String, path: String, host: String) -> Bool {
            if disabled { return true }
            return Self.matches(acceptHosts, host) && Self.matches(acceptPaths, path) && !Self.matches(rejectPaths, path) && !Self.matches(rejectMethods, method)
        }

        static func matches(_ patterns: [String], _ text: String) -> Bool {
            patterns.contains { p in
                (try? NSRegularExpression(pattern: p)).map { $0.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil } ?? false
            }
        }
    }

    let config: RestConfig
    let apiPrefix: String
    let filter: Filter
    let http: HTTPClient
    /// The server's scheme, host and port: its path is not added (`--append-server-path=false`).
    let base: String

    /// The largest request body passed on (the API server takes 3 MiB).
    static let maxBody = 16 << 20

    public init(config: RestConfig, apiPrefix: String, filter: Filter) throws {
        self.config = config
        self.apiPrefix = apiPrefix.hasSuffix("/") ? apiPrefix : apiPrefix + "/"
        self.filter = filter
        http = try HTTPAPIClient(config: config).http
        var url = URLComponents(string: config.server) ?? URLComponents()
        url.path = ""
        base = url.string ?? config.server
    }

    /// Binds, reports the address it serves on, and serves until cancelled.
    public func serve(address: String, port: Int, started: @Sendable (String, Int) -> Void) async throws {
        let server: NIOAsyncChannel<NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>, Never>
        do {
            server = try await ServerBootstrap(group: clientEventLoops)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .bind(host: address, port: port) { child in
                    child.eventLoop.makeCompletedFuture {
                        try child.pipeline.syncOperations.configureHTTPServerPipeline()
                        return try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(wrappingChannelSynchronously: child)
                    }
                }
        } catch {
            throw APIStatusError(code: 0, reason: "", message: "listen tcp \(address):\(port): bind: \(PortForwarder.bindError(error))")
        }
        started(address, server.channel.localAddress?.port ?? port)
        try await server.executeThenClose { connections in
            try await withThrowingDiscardingTaskGroup { group in
                for try await connection in connections {
                    group.addTask { try? await self.serve(connection) }
                }
            }
        }
    }

    /// One client connection: its requests in turn (keep-alive).
    private func serve(_ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>) async throws {
        let client = connection.channel.remoteAddress?.ipAddress ?? ""
        try await connection.executeThenClose { inbound, outbound in
            var head: HTTPRequestHead?
            var body: [UInt8] = []
            for try await part in inbound {
                switch part {
                case .head(let h):
                    head = h
                    body = []
                case .body(let chunk):
                    guard body.count + chunk.readableBytes <= Self.maxBody else { return }
                    body += chunk.readableBytesView
                case .end:
                    guard let h = head else { continue }
                    try await answer(h, body, client: client, outbound)
                    if !h.isKeepAlive { return }
                }
            }
        }
    }

    private func answer(_ head: HTTPRequestHead, _ body: [UInt8], client: String, _ out: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>) async throws {
        let path = head.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? head.uri
        let host = Self.hostName(head.headers["Host"].first ?? "")
        guard path.hasPrefix(apiPrefix) || path + "/" == apiPrefix else {
            return try await Self.text(out, .notFound, "404 page not found\n", head.version)
        }
        let upstreamURI = "/" + head.uri.dropFirst(min(apiPrefix.count, head.uri.count))
        guard filter.accepts(method: head.method.rawValue, path: "/" + path.dropFirst(min(apiPrefix.count, path.count)), host: host) else {
            return try await Self.text(out, .forbidden, "Forbidden\n", head.version)
        }
        var request = HTTPClientRequest(url: base + upstreamURI)
        request.method = head.method
        for (name, value) in head.headers where !Self.hopByHop.contains(name.lowercased()) && name.lowercased() != "host" {
            request.headers.add(name: name, value: value)
        }
        if !client.isEmpty { request.headers.add(name: "X-Forwarded-For", value: client) }
        if let token = config.token, !request.headers.contains(name: "Authorization") {
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
        }
        if !body.isEmpty { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response: HTTPClientResponse
        do {
            response = try await http.execute(request, timeout: .hours(24 * 365))
        } catch {
            return try await Self.text(out, .badGateway, "\(HTTPAPIClient.describeTransport(error, server: config.server))\n", head.version)
        }
        var headers = HTTPHeaders()
        for (name, value) in response.headers where !Self.hopByHop.contains(name.lowercased()) { headers.add(name: name, value: value) }
        try await out.write(.head(HTTPResponseHead(version: head.version, status: response.status, headers: headers)))
        for try await chunk in response.body { try await out.write(.body(.byteBuffer(chunk))) }
        try await out.write(.end(nil))
    }

    /// Headers that belong to one connection, not to the request (RFC 9110 7.6.1).
    static let hopByHop: Set<String> = ["connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade"]

    static func hostName(_ hostHeader: String) -> String {
        if hostHeader.hasPrefix("["), let end = hostHeader.firstIndex(of: "]") { return String(hostHeader[...end]) }
        return hostHeader.split(separator: ":").first.map(String.init) ?? hostHeader
    }

    private static func text(_ out: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>, _ status: HTTPResponseStatus, _ text: String, _ version: HTTPVersion) async throws {
        let headers: HTTPHeaders = ["Content-Type": "text/plain; charset=utf-8", "X-Content-Type-Options": "nosniff", "Content-Length": String(text.utf8.count)]
        try await out.write(.head(HTTPResponseHead(version: version, status: status, headers: headers)))
        try await out.write(.body(.byteBuffer(ByteBuffer(string: text))))
        try await out.write(.end(nil))
    }
}
