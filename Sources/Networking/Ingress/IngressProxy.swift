import AsyncHTTPClient
import KubeModel
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// One request through the Ingress, as ingress-nginx's location does it: route by Host and path,
/// then send it to the backend's endpoints in round-robin order (the next one on a refused
/// connection, up to 3 tries: proxy_next_upstream "error timeout"), with the headers nginx sets,
/// and stream the answer back. Its own answers are nginx's error pages.
public final class IngressProxy: Sendable {
    /// Where the request came in, for the X-Forwarded-* headers.
    public struct Client: Sendable {
        public var address: String
        /// `http` or `https`.
        public var scheme: String
        /// The port the client connected to.
        public var port: Int
        public init(address: String, scheme: String, port: Int) {
            self.address = address
            self.scheme = scheme
            self.port = port
        }
    }

    /// What is sent back: the head, then the body as it arrives.
    public struct Answer: Sendable {
        public var head: HTTPResponseHead
        public var body: @Sendable (_ write: @Sendable (ByteBuffer) async throws -> Void) async throws -> Void
    }

    /// ingress-nginx's proxy-body-size default (client_max_body_size 1m).
    public static let maxBodySize = 1 << 20
    static let tries = 3

    let routes: @Sendable () -> IngressRouter
    let endpoints: any IngressEndpointSource
    let balancer = RoundRobin()
    let client: HTTPClient
    /// Where the HTTPS listener answers, once bound (for ssl-redirect's Location).
    public let httpsPort = Mutex<Int?>(nil)

    public init(routes: @escaping @Sendable () -> IngressRouter, endpoints: any IngressEndpointSource) {
        self.routes = routes
        self.endpoints = endpoints
        var config = HTTPClient.Configuration()
        config.redirectConfiguration = .disallow
        config.connectionPool.retryConnectionEstablishment = false
        // proxy-connect-timeout 5s, proxy-read-timeout 60s.
        config.timeout.connect = .seconds(5)
        config.timeout.read = .seconds(60)
        config.connectionPool.idleTimeout = .seconds(60)
        // nginx opens as many upstream connections as requests need; AsyncHTTPClient's default
        // of 8 a host would queue the ninth long-lived request (an event stream) forever.
        config.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 1024
        client = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: config)
    }

    public func shutdown() async {
        try? await client.shutdown()
    }

    /// The answer to one request whose body (at most `maxBodySize` bytes) was read.
    public func answer(_ head: HTTPRequestHead, body: ByteBuffer?, from source: Client) async -> Answer {
        let host = head.headers.first(name: "host") ?? ""
        let router = routes()
        if source.scheme == "http", router.hasTLS(host: host), let port = httpsPort.withLock({ $0 }) {
            // ingress-nginx's ssl-redirect: a host with TLS is only served over HTTPS.
            var answer = Self.page(IngressPages.permanentRedirect, head)
            let name = IngressRouter.hostname(host)
            answer.head.headers.add(name: "Location", value: "https://\(name)\(port == 443 ? "" : ":\(port)")\(head.uri)")
            return answer
        }
        guard let target = router.route(host: host, path: head.uri) else { return Self.page(IngressPages.notFound, head) }
        let candidates = endpoints.endpoints(of: target.service, port: target.port)
        guard !candidates.isEmpty else { return Self.page(IngressPages.serviceUnavailable, head) }
        let headers = Self.upstreamHeaders(head, from: source)
        let key = "\(target.service):\(target.port)"
        var failure = 502
        for endpoint in balancer.order(key, candidates).prefix(Self.tries) {
            var request = HTTPClientRequest(url: "http://\(endpoint)\(head.uri.hasPrefix("/") ? head.uri : "/" + head.uri)")
            request.method = head.method
            request.headers = headers
            if let body, body.readableBytes > 0 || head.method == .POST || head.method == .PUT || head.method == .PATCH {
                request.body = .bytes(body)
            }
            do {
                let response = try await client.execute(request, timeout: .seconds(3600))
                var out = HTTPHeaders()
                for (name, value) in response.headers where !Self.hopByHop.contains(name.lowercased()) { out.add(name: name, value: value) }
                return Answer(head: HTTPResponseHead(version: head.version, status: response.status, headers: out)) { write in
                    for try await chunk in response.body { try await write(chunk) }
                }
            } catch let error as HTTPClientError where error == .readTimeout {
                failure = 504
                break
            } catch let error as HTTPClientError where error == .connectTimeout {
                failure = 504
                continue
            } catch let error where Self.neverReached(error) {
                // Refused or unreachable: the request never left, so the next endpoint may take
                // it whatever its method, as proxy_next_upstream "error timeout" does.
                continue
            } catch {
                // Sent, then failed (reset, closed): only an idempotent request goes again
                // (nginx passes a POST, PATCH or LOCK to no other upstream once sent).
                if Self.idempotent.contains(head.method) { continue }
                break
            }
        }
        return failure == 504 ? Self.page(IngressPages.gatewayTimeout, head) : Self.page(IngressPages.badGateway, head)
    }

    /// Methods nginx sends to the next upstream after a failure once sent (not POST, LOCK, PATCH).
    static let idempotent: [HTTPMethod] = [.GET, .HEAD, .PUT, .DELETE, .OPTIONS]

    /// Whether the error means no connection was made, so nothing of the request was sent.
    static func neverReached(_ error: any Error) -> Bool {
        if let io = error as? IOError { return [ECONNREFUSED, EHOSTUNREACH, ENETUNREACH].contains(io.errnoCode) }
        return error is NIOConnectionError
    }

    /// The request's headers as nginx passes them on (nginx.tmpl's proxy_set_header lines).
    static func upstreamHeaders(_ head: HTTPRequestHead, from source: Client) -> HTTPHeaders {
        var h = HTTPHeaders()
        for (name, value) in head.headers where !hopByHop.contains(name.lowercased()) && !replaced.contains(name.lowercased()) {
            h.add(name: name, value: value)
        }
        let host = head.headers.first(name: "host") ?? ""
        h.replaceOrAdd(name: "Host", value: host)
        h.add(name: "X-Request-ID", value: head.headers.first(name: "x-request-id") ?? requestID())
        h.add(name: "X-Real-IP", value: source.address)
        h.add(name: "X-Forwarded-For", value: source.address)
        h.add(name: "X-Forwarded-Host", value: host)
        h.add(name: "X-Forwarded-Port", value: String(source.port))
        h.add(name: "X-Forwarded-Proto", value: source.scheme)
        h.add(name: "X-Forwarded-Scheme", value: source.scheme)
        h.add(name: "X-Scheme", value: source.scheme)
        if let original = head.headers.first(name: "x-forwarded-for") { h.add(name: "X-Original-Forwarded-For", value: original) }
        return h
    }

    /// Headers nginx sets itself (the client's are replaced, not passed on).
    static let replaced: Set<String> = ["host", "x-request-id", "x-real-ip", "x-forwarded-for", "x-forwarded-host", "x-forwarded-port",
                                        "x-forwarded-proto", "x-forwarded-scheme", "x-scheme", "x-original-forwarded-for", "proxy"]
    static let hopByHop: Set<String> = ["connection", "proxy-connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
                                        "trailer", "transfer-encoding", "upgrade"]

    /// nginx's $req_id: 16 random bytes in hex.
    static func requestID() -> String {
        var g = SystemRandomNumberGenerator()
        return (0..<16).map { _ in
            let b = UInt8.random(in: 0...255, using: &g)
            return String(b >> 4, radix: 16) + String(b & 15, radix: 16)
        }.joined()
    }

    static func page(_ page: IngressPages.Page, _ request: HTTPRequestHead) -> Answer {
        let bytes = ByteBuffer(string: page.body)
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: IngressPages.contentType)
        headers.add(name: "Content-Length", value: String(bytes.readableBytes))
        let head = HTTPResponseHead(version: request.version, status: .custom(code: UInt(page.code), reasonPhrase: page.reason), headers: headers)
        let send = request.method != .HEAD
        return Answer(head: head) { write in if send { try await write(bytes) } }
    }
}
