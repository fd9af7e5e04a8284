import KubeModel
import NIOCore
import NIOHTTP1
import Synchronization

/// What the Ingress does with one request, as ingress-nginx's location decides it: route by Host
/// and path, then pass it to the backend's endpoints in round-robin order (the next one on a
/// refused connection, up to 3 tries: proxy_next_upstream "error timeout") with the headers nginx
/// sets, or answer itself with one of nginx's pages. `IngressConnection` carries it out.
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

    /// One of the Ingress's own answers: the head and the whole body.
    public struct Answer: Sendable {
        public var head: HTTPResponseHead
        public var body: ByteBuffer?
    }

    /// A request to pass on: the endpoints to try in order, and the request as sent upstream.
    struct Forward {
        var endpoints: [ServiceEndpoint]
        var head: HTTPRequestHead
        var body: ByteBuffer?
    }

    enum Decision {
        case answer(Answer)
        case forward(Forward)
        /// No endpoint yet, but the Service's Deployment scales from zero: wait for the activator.
        case hold(IngressBackendTarget, Activator)
    }

    /// ingress-nginx's proxy-body-size default (client_max_body_size 1m).
    public static let maxBodySize = 1 << 20
    static let tries = 3
    /// proxy-connect-timeout 5s.
    static let connectTimeout = TimeAmount.seconds(5)

    let routes: @Sendable () -> IngressRouter
    let endpoints: any IngressEndpointSource
    let balancer = RoundRobin()
    /// proxy-read-timeout (60s): the longest an endpoint may stay silent while it owes an answer;
    /// also how long an idle kept-alive connection is kept (upstream-keepalive-timeout, 60s too).
    let readTimeout: TimeAmount
    let pool = IngressUpstreamPool()
    /// Holds requests to a Service scaled to zero while it wakes (nil: they get a 503).
    let activator: Activator?
    /// Where the HTTPS listener answers, once bound (for ssl-redirect's Location).
    public let httpsPort = Mutex<Int?>(nil)

    public init(routes: @escaping @Sendable () -> IngressRouter, endpoints: any IngressEndpointSource,
                readTimeout: TimeAmount = .seconds(60), activator: Activator? = nil) {
        self.routes = routes
        self.activator = activator
        self.endpoints = endpoints
        self.readTimeout = readTimeout
    }

    /// Closes the kept-alive connections to endpoints.
    public func shutdown() async {
        pool.closeAll()
    }

    /// What to do with one request whose body (at most `maxBodySize` bytes) was read.
    /// `woken`: a pod the activator found answering before the Service lists it (a cold start).
    func decide(_ head: HTTPRequestHead, body: ByteBuffer?, from source: Client, mayHold: Bool = false, woken: ServiceEndpoint? = nil) -> Decision {
        let host = head.headers.first(name: "host") ?? ""
        let router = routes()
        if source.scheme == "http", router.hasTLS(host: host), let port = httpsPort.withLock({ $0 }) {
            // ingress-nginx's ssl-redirect: a host with TLS is only served over HTTPS.
            var answer = Self.page(IngressPages.permanentRedirect, head)
            let name = IngressRouter.hostname(host)
            answer.head.headers.add(name: "Location", value: "https://\(name)\(port == 443 ? "" : ":\(port)")\(head.uri)")
            return .answer(answer)
        }
        guard let path = RequestPath.normalize(head.uri) else { return .answer(Self.page(IngressPages.badRequest, head)) }
        guard let target = router.route(host: host, path: path) else { return .answer(Self.page(IngressPages.notFound, head)) }
        activator?.touch(target.service)
        let listed = endpoints.endpoints(of: target.service, port: target.port)
        let candidates = listed.isEmpty ? (woken.map { [$0] } ?? []) : listed
        if candidates.isEmpty, mayHold, let activator, activator.target(of: target.service) != nil { return .hold(target, activator) }
        guard !candidates.isEmpty else { return .answer(Self.page(IngressPages.serviceUnavailable, head)) }
        var headers = Self.upstreamHeaders(head, from: source)
        let sendsBody = (body?.readableBytes ?? 0) > 0 || [.POST, .PUT, .PATCH].contains(head.method)
        if sendsBody { headers.add(name: "Content-Length", value: String(body?.readableBytes ?? 0)) }
        let upstream = HTTPRequestHead(version: .http1_1, method: head.method, uri: head.uri.hasPrefix("/") ? head.uri : "/" + head.uri, headers: headers)
        let order = balancer.order("\(target.service):\(target.port)", candidates).prefix(Self.tries)
        return .forward(Forward(endpoints: Array(order), head: upstream, body: sendsBody ? body : nil))
    }

    /// Methods nginx sends to the next upstream after a failure once sent (not POST, LOCK, PATCH).
    static let idempotent: [HTTPMethod] = [.GET, .HEAD, .PUT, .DELETE, .OPTIONS]

    /// The request's headers as nginx passes them on (nginx.tmpl's proxy_set_header lines, and
    /// the proxy module's own: no Expect, Content-Length of the body it read).
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
                                        "x-forwarded-proto", "x-forwarded-scheme", "x-scheme", "x-original-forwarded-for", "proxy",
                                        "content-length", "expect"]
    static let hopByHop: Set<String> = ["connection", "proxy-connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
                                        "trailer", "transfer-encoding", "upgrade"]

    /// An endpoint's response head as passed to the client: hop-by-hop headers removed.
    static func downstreamHead(_ head: HTTPResponseHead, version: HTTPVersion) -> HTTPResponseHead {
        var out = HTTPHeaders()
        for (name, value) in head.headers where !hopByHop.contains(name.lowercased()) { out.add(name: name, value: value) }
        return HTTPResponseHead(version: version, status: head.status, headers: out)
    }

    /// nginx's $req_id: 16 random bytes in hex (two draws, not sixteen: each is a system call).
    static func requestID() -> String {
        var g = SystemRandomNumberGenerator()
        let words = [g.next(), g.next()] as [UInt64]
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8](repeating: 0, count: 32)
        for i in 0..<32 { out[i] = digits[Int(truncatingIfNeeded: words[i / 16] >> (60 - 4 * UInt64(i % 16))) & 15] }
        return String(decoding: out, as: UTF8.self)
    }

    static func page(_ page: IngressPages.Page, _ request: HTTPRequestHead) -> Answer {
        let bytes = ByteBuffer(string: page.body)
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: IngressPages.contentType)
        headers.add(name: "Content-Length", value: String(bytes.readableBytes))
        let head = HTTPResponseHead(version: request.version, status: .custom(code: UInt(page.code), reasonPhrase: page.reason), headers: headers)
        return Answer(head: head, body: request.method == .HEAD ? nil : bytes)
    }
}
