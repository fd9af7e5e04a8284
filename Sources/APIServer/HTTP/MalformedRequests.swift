import HTTPTypes
import KubeModel
import NIOCore
import NIOHTTP1
import NIOHTTPTypes

/// Answers a request the HTTP parser rejects with a `kind: Status` body and closes the connection,
/// where kube-apiserver's Go server answers with a bare status line (400, or 431 for oversized
/// headers). A parse error inside a request's body (bad chunking, a body cut short) goes on to
/// whoever reads that body as a `RequestBodyError`, so the request gets its own Status.
///
/// Driven by `HTTPConnectionHandler`, which sits after the HTTP codec, where Hummingbird's own
/// handling would write an empty 400.
final class MalformedRequests {
    /// A rejected request waiting for the responses before it to end.
    private var pending: APIError?
    /// The pending rejection answers a CONNECT (see `rejectConnect`).
    private var pendingIsConnect = false
    /// The parser gave up: later errors are echoes of the first.
    private var failed = false

    /// A response ended; `inFlight` requests still wait for theirs.
    func responseEnded(_ context: ChannelHandlerContext, inFlight: Int) {
        if inFlight == 0, let pending {
            self.pending = nil
            if pendingIsConnect { writeBelowEncoder(context, pending) } else { reject(context, pending) }
        }
    }

    /// A CONNECT names no resource: kube-apiserver answers 404 with a Status body. NIO's response
    /// encoder sends no body in any answer to a CONNECT (right only for a 2xx, which opens a
    /// tunnel), so this answer is written beneath the encoder, and the connection closed: the
    /// request is not passed on, so nothing else may be answered on it.
    func rejectConnect(_ context: ChannelHandlerContext, inFlight: Int) {
        guard !failed else { return }
        failed = true
        let status = APIError.resourceNotFound()
        if inFlight > 0 {
            pending = status
            pendingIsConnect = true
        } else {
            writeBelowEncoder(context, status)
        }
    }

    /// Handles a pipeline error; false if it is not the HTTP parser's (the caller passes it on).
    func errorCaught(_ context: ChannelHandlerContext, _ error: any Error, inFlight: Int, readingBody: Bool) -> Bool {
        let parseError = error as? HTTPParserError
        if parseError == nil, !(error is ByteToMessageDecoderError) { return false }
        if failed { return true }
        failed = true
        let status = Self.status(for: parseError)
        if readingBody {
            context.fireErrorCaught(RequestBodyError(status: status))
        } else if inFlight > 0 {
            pending = status
        } else {
            reject(context, status)
        }
        return true
    }

    private func reject(_ context: ChannelHandlerContext, _ error: APIError) {
        let body = StatusEncoding.serialize(error.status)
        var head = HTTPResponse(status: .init(code: error.code))
        head.headerFields[.contentType] = "application/json"
        head.headerFields[.contentLength] = String(body.count)
        head.headerFields[.connection] = "close"
        context.write(NIOAny(HTTPResponsePart.head(head)), promise: nil)
        context.write(NIOAny(HTTPResponsePart.body(ByteBuffer(bytes: body))), promise: nil)
        context.writeAndFlush(NIOAny(HTTPResponsePart.end(nil))).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }

    private func writeBelowEncoder(_ context: ChannelHandlerContext, _ error: APIError) {
        let body = StatusEncoding.serialize(error.status)
        let status = HTTPResponse.Status(code: error.code)
        var bytes = ByteBuffer(string: "HTTP/1.1 \(status.code) \(status.reasonPhrase)\r\nContent-Type: application/json\r\n"
                               + "Content-Length: \(body.count)\r\nConnection: close\r\n\r\n")
        bytes.writeBytes(body)
        let socketEnd = SocketEnd()
        do {
            try context.pipeline.syncOperations.addHandler(socketEnd, position: .first)
            let first = try context.pipeline.syncOperations.context(handler: socketEnd)
            first.writeAndFlush(NIOAny(bytes)).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        } catch {
            // The pipeline is closing already; there is no one left to answer.
            context.close(promise: nil)
        }
    }

    /// The status Go's net/http gives each kind of malformed request, with its words.
    static func status(for error: HTTPParserError?) -> APIError {
        switch error {
        case .headerOverflow?:
            return APIError(code: 431, reason: "", message: "Request Header Fields Too Large")
        case .invalidMethod?:
            return .methodNotAllowed()
        case .invalidEOFState?:
            return .badRequest("unexpected EOF")
        case .invalidChunkSize?:
            return .badRequest("invalid byte in chunk length")
        case .invalidContentLength?, .unexpectedContentLength?:
            return .badRequest("bad Content-Length")
        case .invalidHeaderToken?:
            return .badRequest("invalid header field")
        case .invalidVersion?:
            // Go answers 505 for a well-formed version other than 1.x; a 4xx here keeps to the
            // rule that no input of a client's makes this server answer 5xx.
            return .badRequest("unsupported protocol version")
        default:
            return .badRequest("malformed HTTP request")
        }
    }
}

/// Sits first in the pipeline (next to the socket) only while `MalformedRequests` writes an
/// answer that the HTTP encoder must not touch; passes everything through.
private final class SocketEnd: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = ByteBuffer
}

/// A request body that could not be read to its end; `status` is the answer its request gets.
struct RequestBodyError: Error {
    let status: APIError
}
