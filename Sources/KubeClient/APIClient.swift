import KubeModel

/// An API answer: status code, content type and body.
public struct APIResponse: Sendable {
    public let status: Int
    public let contentType: String
    public let body: [UInt8]
    public let warnings: [String]

    public init(status: Int, contentType: String, body: [UInt8], warnings: [String] = []) {
        self.status = status
        self.contentType = contentType
        self.body = body
        self.warnings = warnings
    }

    /// The body as JSON; nil for a body that is not JSON (callers then use the status line).
    public var json: JSONValue? { try? JSONParser.parse(body) }
}

/// A failed API call, carrying the server's `Status` (or a transport failure).
public struct APIStatusError: Error, Sendable, CustomStringConvertible {
    public let code: Int
    public let reason: String
    public let message: String
    public let status: JSONValue?

    public init(code: Int, reason: String, message: String, status: JSONValue? = nil) {
        self.code = code
        self.reason = reason
        self.message = message
        self.status = status
    }

    public init(response: APIResponse) {
        let s = response.json
        code = response.status
        if let s, s["kind"] == "Status" {
            reason = s["reason"]?.stringValue ?? ""
            message = s["message"]?.stringValue ?? ""
            status = s
        } else {
            reason = APIStatusError.defaultReason(response.status)
            message = String(decoding: response.body, as: UTF8.self)
            status = nil
        }
    }

    static func defaultReason(_ code: Int) -> String {
        switch code {
        case 400: return "BadRequest"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "NotFound"
        case 405: return "MethodNotAllowed"
        case 409: return "Conflict"
        case 410: return "Expired"
        case 415: return "UnsupportedMediaType"
        case 422: return "Invalid"
        default: return code >= 500 ? "InternalError" : ""
        }
    }

    public var description: String { message }
}

/// One watch event as received.
public struct WatchEventLine: Sendable {
    public let type: String
    public let object: JSONValue
    public init(type: String, object: JSONValue) {
        self.type = type
        self.object = object
    }

    /// How many events a client's watch stream holds for a consumer that has not read them. A
    /// consumer that falls this far behind sees its watch end, and watches again from the last
    /// revision it saw, as when the server closes a slow watch: memory stays bounded, nothing
    /// is lost.
    public static let bufferLimit = 1000
}

/// A watch consumer fell `WatchEventLine.bufferLimit` events behind; its watch ends.
public struct WatchConsumerTooSlow: Error {
    public init() {}
}

/// The API as a client sees it. The HTTP implementation talks to any Kubernetes API server; the
/// API server offers an in-process one with the same semantics.
public protocol APIClient: Sendable {
    /// Sends one request. Non-2xx answers are returned, not thrown: callers decide.
    func send(method: String, path: String, query: [(String, String)], body: [UInt8]?, contentType: String?, accept: String?) async throws -> APIResponse

    /// Streams watch events until the server ends the stream or the task is cancelled.
    func watch(path: String, query: [(String, String)], accept: String?) -> AsyncThrowingStream<WatchEventLine, any Error>

    /// Streams the body of a long-running GET (`pods/log?follow=true`) chunk by chunk as it
    /// arrives; a non-2xx answer ends the stream with its Status.
    func stream(path: String, query: [(String, String)], accept: String?) -> AsyncThrowingStream<[UInt8], any Error>

    /// The same client sending this User-Agent (see `UserAgent`).
    func identified(as userAgent: String) -> any APIClient
}

extension APIClient {
    /// A client that sends no User-Agent of its own stays as it is.
    public func identified(as userAgent: String) -> any APIClient { self }
}

extension APIClient {
    /// A client without streaming bodies hands over the whole body once it is complete.
    public func stream(path: String, query: [(String, String)], accept: String?) -> AsyncThrowingStream<[UInt8], any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    let r = try await send(method: "GET", path: path, query: query, body: nil, contentType: nil, accept: accept)
                    guard (200..<300).contains(r.status) else { throw APIStatusError(response: r) }
                    continuation.yield(r.body)
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}

extension APIClient {
    /// Sends and returns the JSON body of a 2xx answer; any other answer throws its Status.
    public func call(
        _ method: String, _ path: String, query: [(String, String)] = [], body: JSONValue? = nil,
        contentType: String = "application/json", accept: String = "application/json"
    ) async throws -> JSONValue {
        let r = try await send(method: method, path: path, query: query, body: body.map { JSONSerializer.serialize($0) },
                               contentType: body == nil ? nil : contentType, accept: accept)
        guard (200..<300).contains(r.status) else { throw APIStatusError(response: r) }
        return r.json ?? .emptyObject
    }
}
