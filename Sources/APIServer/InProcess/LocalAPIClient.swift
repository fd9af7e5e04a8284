import Foundation
import HTTPTypes
import Hummingbird
import KubeClient
import KubeModel
import NIOCore

/// The API in-process: each call is a request handed to the same `KubeResponder` that serves
/// HTTP, without a socket, so controllers see exactly what they would over the network:
/// the same status codes, `Status` bodies, warnings and watch streams.
public struct LocalAPIClient: APIClient {
    let responder: KubeResponder
    var userAgent: String?

    public init(api: APIService) {
        responder = KubeResponder(api: api, token: nil, serverAddress: "in-process")
    }

    public func identified(as userAgent: String) -> any APIClient {
        var c = self
        c.userAgent = userAgent
        return c
    }

    func request(_ method: String, _ path: String, _ query: [(String, String)], body: [UInt8]?, contentType: String?, accept: String?) -> Request {
        var target = path
        if !query.isEmpty { target += "?" + query.map { "\(HTTPAPIClient.encode($0.0))=\(HTTPAPIClient.encode($0.1))" }.joined(separator: "&") }
        var headers = HTTPFields()
        if let accept { headers[.accept] = accept }
        if let userAgent { headers[.userAgent] = userAgent }
        if let body {
            headers[.contentType] = contentType ?? "application/json"
            headers[.contentLength] = String(body.count)
        }
        let head = HTTPRequest(method: HTTPRequest.Method(method) ?? .get, scheme: "http", authority: "in-process", path: target, headerFields: headers)
        return Request(head: head, body: RequestBody(buffer: ByteBuffer(bytes: body ?? [])))
    }

    public func send(method: String, path: String, query: [(String, String)], body: [UInt8]?, contentType: String?, accept: String?) async throws -> APIResponse {
        let response = await responder.handle(request(method, path, query, body: body, contentType: contentType, accept: accept), inProcess: true)
        let collector = Collector()
        try await response.body.write(collector)
        return APIResponse(status: Int(response.status.code), contentType: response.headers[.contentType] ?? "",
                           body: collector.bytes, warnings: response.headers[values: HTTPField.Name("Warning")!])
    }

    public func watch(path: String, query: [(String, String)], accept: String?) -> AsyncThrowingStream<WatchEventLine, any Error> {
        let request = request("GET", path, query, body: nil, contentType: nil, accept: accept)
        let responder = responder
        // Bounded as the server's own watch buffer is: a consumer that falls this far behind sees
        // the watch end and watches again from the last revision it saw, as over HTTP.
        return AsyncThrowingStream(bufferingPolicy: .bufferingOldest(WatchEventLine.bufferLimit)) { continuation in
            let task = Task {
                let response = await responder.handle(request, inProcess: true)
                do {
                    guard response.status == .ok else {
                        let collector = Collector()
                        try await response.body.write(collector)
                        throw APIStatusError(response: APIResponse(status: Int(response.status.code), contentType: "", body: collector.bytes))
                    }
                    try await response.body.write(EventWriter(continuation: continuation))
                    continuation.finish()
                } catch is WatchConsumerTooSlow {
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: Task.isCancelled ? CancellationError() : error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}

/// Gathers a response body.
private final class Collector: ResponseBodyWriter {
    var bytes: [UInt8] = []
    func write(_ buffer: ByteBuffer) async throws { buffer.withUnsafeReadableBytes { bytes.append(contentsOf: $0) } }
    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}

/// Turns each newline-delimited watch event into a `WatchEventLine` as it is written.
private struct EventWriter: ResponseBodyWriter {
    let continuation: AsyncThrowingStream<WatchEventLine, any Error>.Continuation

    func write(_ buffer: ByteBuffer) async throws {
        try Task.checkCancellation()
        let line = buffer.readableBytesView.split(separator: 0x0a)
        for l in line where !l.isEmpty {
            guard let json = try? JSONParser.parse(Array(l)) else { continue }
            if case .dropped = continuation.yield(WatchEventLine(type: json["type"]?.stringValue ?? "", object: json["object"] ?? .null)) {
                throw WatchConsumerTooSlow()
            }
        }
    }

    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
