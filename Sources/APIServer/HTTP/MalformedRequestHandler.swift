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
/// It sits in the pipeline after the HTTP codec, where Hummingbird's own handling would write an
/// empty 400.
final class MalformedRequestHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// Requests whose head has arrived and whose response has not ended.
    private var inFlight = 0
    /// The last request's head has arrived but not its end.
    private var readingBody = false
    /// A rejected request waiting for the responses before it to end.
    private var pending: APIError?
    /// The parser gave up: later errors are echoes of the first.
    private var failed = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            inFlight += 1
            readingBody = true
        case .end: readingBody = false
        case .body: break
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard case .end = unwrapOutboundIn(data) else { return context.write(data, promise: promise) }
        context.write(data, promise: promise)
        inFlight -= 1
        if inFlight == 0, let pending {
            self.pending = nil
            reject(context, pending)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        let parseError = error as? HTTPParserError
        if parseError == nil, !(error is ByteToMessageDecoderError) {
            return context.fireErrorCaught(error)
        }
        if failed { return }
        failed = true
        let status = Self.status(for: parseError)
        if readingBody {
            context.fireErrorCaught(RequestBodyError(status: status))
        } else if inFlight > 0 {
            pending = status
        } else {
            reject(context, status)
        }
    }

    private func reject(_ context: ChannelHandlerContext, _ error: APIError) {
        let body = JSONSerializer.serialize(error.status)
        var head = HTTPResponse(status: .init(code: error.code))
        head.headerFields[.contentType] = "application/json"
        head.headerFields[.contentLength] = String(body.count)
        head.headerFields[.connection] = "close"
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(ByteBuffer(bytes: body))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
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
            return .badRequest("unsupported protocol version")
        default:
            return .badRequest("malformed HTTP request")
        }
    }
}

/// A request body that could not be read to its end; `status` is the answer its request gets.
struct RequestBodyError: Error {
    let status: APIError
}
