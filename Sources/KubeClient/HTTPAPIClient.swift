import AsyncHTTPClient
import Foundation
import KubeModel
import NIOCore
import NIOPosix
import NIOHTTP1
import NIOSSL

/// One client for the process (per set of TLS material). Connection failures are reported at
/// once instead of being retried until the request's deadline, as kubectl reports a refused
/// connection.
func makeHTTPClient(tls: TLSConfiguration? = nil) -> HTTPClient {
    var config = HTTPClient.Configuration()
    config.tlsConfiguration = tls
    config.connectionPool.retryConnectionEstablishment = false
    config.timeout.connect = .seconds(10)
    // Every informer holds a watch open: the default of 8 connections per host would leave the
    // controllers' other requests queued behind them forever.
    config.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 512
    return HTTPClient(eventLoopGroup: clientEventLoops, configuration: config)
}

/// One event loop thread is plenty for a client, and starts faster than one per core.
let clientEventLoops = MultiThreadedEventLoopGroup(numberOfThreads: 1)
let sharedHTTPClient = makeHTTPClient()

/// The API over HTTP (async-http-client), for any Kubernetes API server.
public struct HTTPAPIClient: APIClient {
    public let config: RestConfig
    let timeout: TimeAmount
    var userAgent = UserAgent.kctl

    let http: HTTPClient

    /// Fails when the kubeconfig's certificates or key cannot be read as PEM.
    public init(config: RestConfig, timeoutSeconds: Int64 = 30) throws {
        self.config = config
        self.timeout = .seconds(timeoutSeconds)
        http = try config.tls.map(TLSClients.client) ?? sharedHTTPClient
    }

    public func identified(as userAgent: String) -> any APIClient {
        var c = self
        c.userAgent = userAgent
        return c
    }

    public static func encode(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(b))
            default:
                let h = String(b, radix: 16, uppercase: true)
                out += "%" + (h.count == 1 ? "0" + h : h)
            }
        }
        return out
    }

    func url(_ path: String, _ query: [(String, String)]) -> String {
        var u = config.server + path
        if !query.isEmpty { u += "?" + query.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&") }
        return u
    }

    func request(_ method: String, _ path: String, _ query: [(String, String)], accept: String?) -> HTTPClientRequest {
        var r = HTTPClientRequest(url: url(path, query))
        r.method = HTTPMethod(rawValue: method)
        r.headers.add(name: "User-Agent", value: userAgent)
        if let accept { r.headers.add(name: "Accept", value: accept) }
        if let token = config.token { r.headers.add(name: "Authorization", value: "Bearer \(token)") }
        return r
    }

    public func send(
        method: String, path: String, query: [(String, String)], body: [UInt8]?, contentType: String?, accept: String?
    ) async throws -> APIResponse {
        var r = request(method, path, query, accept: accept)
        if let body {
            r.body = .bytes(ByteBuffer(bytes: body))
            r.headers.add(name: "Content-Type", value: contentType ?? "application/json")
        }
        let response: HTTPClientResponse
        do {
            response = try await http.execute(r, timeout: timeout)
        } catch {
            throw APIStatusError(code: 0, reason: "", message: Self.describeTransport(error, server: config.server))
        }
        var buffer = try await response.body.collect(upTo: 64 * 1024 * 1024)
        let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
        return APIResponse(
            status: Int(response.status.code), contentType: response.headers.first(name: "Content-Type") ?? "",
            body: bytes, warnings: response.headers["Warning"])
    }

    static func describeTransport(_ error: any Error, server: String) -> String {
        let host = server.replacingOccurrences(of: "http://", with: "").replacingOccurrences(of: "https://", with: "")
        let text = "\(error)"
        if text.contains("connectTimeout") || text.contains("refused") || text.contains("connect") {
            return "The connection to the server \(host) was refused - did you specify the right host or port?"
        }
        // Go's wording for the TLS failures users meet, so the fix they search for is the same.
        if text.contains("CERTIFICATE_VERIFY_FAILED") {
            return "Unable to connect to the server: tls: failed to verify certificate: x509: certificate signed by unknown authority"
        }
        if text.contains("handshakeFailed") || text.contains("SSL") {
            return "Unable to connect to the server: remote error: tls: handshake failure"
        }
        return "Unable to connect to the server: \(text)"
    }

    public func watch(path: String, query: [(String, String)], accept: String?) -> AsyncThrowingStream<WatchEventLine, any Error> {
        let chunks = stream(path: path, query: query, accept: accept)
        return AsyncThrowingStream(bufferingPolicy: .bufferingOldest(WatchEventLine.bufferLimit)) { continuation in
            let task = Task {
                do {
                    // Chunks are cut anywhere: events are the lines of the body.
                    var pending: [UInt8] = []
                    for try await chunk in chunks {
                        pending += chunk
                        while let nl = pending.firstIndex(of: 0x0a) {
                            let line = Array(pending[..<nl])
                            pending.removeSubrange(...nl)
                            guard !line.isEmpty else { continue }
                            // A line that is not JSON ends the watch with the parse error, as
                            // client-go's StreamWatcher stops on a decode error; the informer relists.
                            let json = try JSONParser.parse(line)
                            let event = WatchEventLine(type: json["type"]?.stringValue ?? "", object: json["object"] ?? .null)
                            if case .dropped = continuation.yield(event) { throw WatchConsumerTooSlow() }
                        }
                    }
                    continuation.finish()
                } catch is WatchConsumerTooSlow {
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    public func stream(path: String, query: [(String, String)], accept: String?) -> AsyncThrowingStream<[UInt8], any Error> {
        let r = request("GET", path, query, accept: accept)
        let server = config.server
        return AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    // A stream has no deadline of its own: it ends when the server or the caller ends it.
                    let response = try await http.execute(r, timeout: .hours(24 * 365))
                    guard response.status.code == 200 else {
                        var b = try await response.body.collect(upTo: 1 << 20)
                        let bytes = b.readBytes(length: b.readableBytes) ?? []
                        throw APIStatusError(response: APIResponse(status: Int(response.status.code), contentType: "", body: bytes))
                    }
                    for try await chunk in response.body {
                        continuation.yield(chunk.withUnsafeReadableBytes { Array($0) })
                    }
                    continuation.finish()
                } catch let e as APIStatusError {
                    continuation.finish(throwing: e)
                } catch {
                    continuation.finish(throwing: Task.isCancelled ? CancellationError() : APIStatusError(
                        code: 0, reason: "", message: Self.describeTransport(error, server: server)))
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
