import AsyncHTTPClient
import Foundation
import Hummingbird
import KubeModel
import NIOCore
import NIOPosix

/// Where a pod's kubelet serves its containers' logs (LogLocation's URL).
struct KubeletLocation {
    let host: String
    let port: Int
    let path: String
    let query: [(String, String)]

    var url: String {
        let q = query.map { "\($0.0)=\(Self.escape($0.1))" }.joined(separator: "&")
        return "http://\(host):\(port)\(path)" + (q.isEmpty ? "" : "?" + q)
    }

    /// Only this machine's loopback is dialled: a node address elsewhere is a simulated node's,
    /// and no request may leave the machine.
    static func isLoopback(_ address: String) -> Bool {
        let parts = address.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "127" else { return false }
        return parts.allSatisfy { p in UInt8(p).map { _ in !p.isEmpty && (p == "0" || !p.hasPrefix("0")) } ?? false }
    }

    private static func escape(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~")) ?? s
    }
}

/// The API server's client for kubelets: one event loop, no retries (a refused connection is
/// reported at once, as Go's dialer does).
enum KubeletClient {
    static let shared: HTTPClient = {
        var config = HTTPClient.Configuration()
        config.connectionPool.retryConnectionEstablishment = false
        config.timeout.connect = .seconds(30)
        config.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 512
        return HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: config)
    }()
}

extension ResourceHandler {
    /// LocationStreamer: GETs the kubelet's URL and copies its body back as it comes (chunked,
    /// flushed per chunk), until the kubelet ends it or the client goes away. A kubelet that
    /// cannot be reached, or answers with an error, becomes the error kube-apiserver returns.
    func proxyLog(_ location: KubeletLocation, pod: String) async throws -> Response {
        let url = location.url
        let response: HTTPClientResponse
        do {
            response = try await KubeletClient.shared.execute(HTTPClientRequest(url: url), timeout: .hours(24 * 365))
        } catch {
            // Not a Status error: kube-apiserver answers 500 with Go's error text and no reason.
            throw APIError(code: 500, reason: "", message: "Get \"\(url)\": dial tcp \(location.host):\(location.port): \(Self.describeDial(error))")
        }
        let code = Int(response.status.code)
        guard (200...206).contains(code) else {
            // GenericHttpResponseChecker: the kubelet's text becomes the error (read up to 50000 bytes).
            var buffer = (try? await response.body.collect(upTo: 50_000)) ?? ByteBuffer()
            let text = buffer.readString(length: buffer.readableBytes) ?? ""
            switch code {
            case 500: throw APIError.internalError(text)
            case 400: throw APIError.badRequest(text)
            default:
                let message = code == 404 ? "the server could not find the requested resource" : "the server responded with the status code \(code) but did not return more information"
                var details: JSONValue = ["name": .string(pod), "kind": "pods/log"]
                if !text.isEmpty { details["causes"] = [["reason": "UnexpectedServerResponse", "message": .string(text)]] }
                throw APIError(code: code, reason: code == 404 ? "NotFound" : "", message: "\(message) ( pods/log \(pod))", details: details)
            }
        }
        let body = request.body
        let inProcess = self.inProcess
        return Response(status: .ok, headers: [.contentType: "text/plain"], body: ResponseBody { writer in
            func copy() async throws {
                for try await chunk in response.body { try await writer.write(chunk) }
            }
            do {
                if inProcess {
                    try await copy()
                } else {
                    // The client going away cancels the copy, which closes the kubelet's stream.
                    try await body.consumeWithCancellationOnInboundClose { _ in try await copy() }
                }
            } catch is CancellationError {
                return
            }
            try await writer.finish(nil)
        })
    }

    /// Go's wording for a failed dial.
    static func describeDial(_ error: any Error) -> String {
        let text = "\(error)"
        if text.contains("connectTimeout") { return "i/o timeout" }
        if text.contains("refused") || text.contains("ECONNREFUSED") || text.contains("errno: 111") { return "connect: connection refused" }
        return text
    }
}
