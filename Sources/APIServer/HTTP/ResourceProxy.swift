import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import KubeModel
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// The API server's client for `services/proxy` and `pods/proxy`: redirects are the backend's
/// answer to pass back, not to follow, and an `https:` backend's certificate is not checked
/// (kube-apiserver's proxy transport has no CA for pods either).
enum ProxyClient {
    static let shared: HTTPClient = {
        var config = HTTPClient.Configuration()
        config.redirectConfiguration = .disallow
        config.connectionPool.retryConnectionEstablishment = false
        config.timeout.connect = .seconds(30)
        // Go's transport opens as many connections as requests need; AsyncHTTPClient's default of
        // 8 a host would queue the ninth long-lived request (a watch, an event stream) forever.
        config.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 1024
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateVerification = .none
        config.tlsConfiguration = tls
        return HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: config)
    }()
}

extension ResourceHandler {
    /// `…/services|pods/{[scheme:]name[:port]}/proxy[/path]`, as kube-apiserver's ProxyREST and
    /// UpgradeAwareHandler serve it: the method, path, query, headers and body go to the location,
    /// and its status, headers and body come back as they arrive.
    func proxy(_ r: APIPath.ResourceRequest, id: String) async throws -> Response {
        let namespace = r.namespace ?? ""
        let location = r.info.plural == "pods"
            ? try ProxyLocation.pod(api, namespace: namespace, id: id)
            : try ProxyLocation.service(api, namespace: namespace, id: id)
        guard let path = ProxyPath.backendPath(request.uri.path) else {
            // An empty path becomes its directory, so relative links resolve (issue 4958).
            guard request.method == .get || request.method == .head else { return try await forward(location, path: "") }
            let query = request.uri.query.map { "?" + $0 } ?? ""
            return Response(status: .movedPermanently, headers: [.location: request.uri.path + "/" + query, .contentLength: "0"])
        }
        return try await forward(location, path: path)
    }

    private func forward(_ location: ProxyLocation, path: String) async throws -> Response {
        let query = request.uri.query.map { "?" + $0 } ?? ""
        var outgoing = HTTPClientRequest(url: "\(location.scheme)://\(location.authority)\(path.isEmpty ? "/" : path)\(query)")
        outgoing.method = HTTPMethod(rawValue: request.method.rawValue)
        for field in request.headers where !ProxyPath.isHopByHop(field.name.canonicalName) && field.name != .authorization {
            outgoing.headers.add(name: field.name.rawName, value: field.value)
        }
        // The path the client asked for, for backends that build links (proxy.Transport).
        outgoing.headers.replaceOrAdd(name: "X-Forwarded-Uri", value: request.uri.path)
        let length = request.headers[.contentLength].flatMap { Int($0) }
        if length.map({ $0 > 0 }) ?? (request.headers[.transferEncoding] != nil) {
            outgoing.body = .stream(request.body, length: length.map { .known(Int64($0)) } ?? .unknown)
        }
        let response: HTTPClientResponse
        do {
            response = try await ProxyClient.shared.execute(outgoing, timeout: .hours(24 * 365))
        } catch {
            // Not a Status error: the transport's text in a 500 without a reason, as
            // ErrorNegotiated writes errors that are not API statuses.
            throw APIError(code: 500, reason: "", message: "dial tcp \(location.authority): \(Self.describeDial(error))")
        }
        var headers = HTTPFields()
        for header in response.headers where !ProxyPath.isHopByHop(header.name.lowercased()) && !ProxyPath.isCORS(header.name.lowercased()) {
            if let name = HTTPField.Name(header.name) { headers.append(HTTPField(name: name, value: header.value)) }
        }
        // The copy ends when the backend ends its answer, or when a write fails because the
        // client went away. (Watching the inbound side for a close, as pods/log does, would
        // end the client's keep-alive connection after each answer.)
        return Response(status: HTTPResponse.Status(code: Int(response.status.code), reasonPhrase: response.status.reasonPhrase),
                        headers: headers, body: ResponseBody { writer in
            for try await chunk in response.body { try await writer.write(chunk) }
            try await writer.finish(nil)
        })
    }
}

/// The path part of a proxy URL, as the API server's connect handler and UpgradeAwareHandler
/// build it.
enum ProxyPath {
    /// The backend's path for a proxy URL (`…/proxy/a/b/` → `/a/b/`): what follows `proxy`,
    /// cleaned as Go's path.Join does (`.`, `..` and empty segments), a trailing slash kept;
    /// nil when nothing follows, not even a slash (the caller redirects).
    static func backendPath(_ rawPath: String) -> String? {
        // [api, v1, namespaces, ns, services, id, proxy, …]: the first 7 segments name the resource.
        let parts = rawPath.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        let head = parts.prefix(7)
        guard head.count == 7, head.last == "proxy" else { return nil }
        let rest = parts.dropFirst(7)
        if rest.isEmpty { return nil }
        var clean: [Substring] = []
        for segment in rest {
            switch segment {
            case "", ".": continue
            case "..": _ = clean.popLast()
            default: clean.append(segment)
            }
        }
        let joined = "/" + clean.joined(separator: "/")
        return rawPath.hasSuffix("/") && !joined.hasSuffix("/") ? joined + "/" : joined
    }

    /// Go's httputil.ReverseProxy drops these in both directions (RFC 7230 6.1).
    static func isHopByHop(_ lowercased: String) -> Bool {
        ["connection", "proxy-connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
         "transfer-encoding", "upgrade"].contains(lowercased)
    }

    /// corsRemovingTransport: the backend's CORS answers are not the API server's.
    static func isCORS(_ lowercased: String) -> Bool {
        ["access-control-allow-credentials", "access-control-allow-headers", "access-control-allow-methods",
         "access-control-allow-origin"].contains(lowercased)
    }
}
