import Foundation
import Hummingbird
import KubeModel
import NIOCore
import ServiceLifecycle

extension ResourceHandler {
    /// A watch: newline-delimited JSON events over a chunked response, each flushed at once.
    /// A client that closes its connection stops the watch immediately.
    func watch(_ info: ResourceInfo, _ namespace: String?, _ options: inout ListOptions) async throws -> Response {
        let handle = try api.watch(info, namespace: namespace, options: options)
        let table = wantsTable
        let body = request.body
        let contentType = table ? TableConverter.contentType : "application/json"
        let inProcess = self.inProcess
        // Watching for the client's close consumes the connection's request stream, so the
        // connection cannot carry another request after the watch ends: say so, or a client
        // would reuse it and fail ("I/O on closed channel").
        let headers: HTTPFields = inProcess ? [.contentType: contentType] : [.contentType: contentType, .connection: "close"]
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            defer { handle.cancel() }
            func stream() async throws {
                var first = true
                for await event in handle.events {
                    var object = event.object
                    if table && event.type != "ERROR" && event.type != "BOOKMARK" {
                        object = TableConverter(now: Date()).table(info, [object], rv: nil, headers: first)
                        first = false
                    }
                    // As kube-apiserver writes a metav1.WatchEvent: {"type":...,"object":...} and a newline.
                    var line = ByteBuffer()
                    let cached = table ? nil : event.bytes
                    line.reserveCapacity((cached?.count ?? 0) + event.type.utf8.count + 24)
                    line.writeStaticString(#"{"type":""#)
                    line.writeString(event.type)
                    line.writeStaticString(#"","object":"#)
                    if let cached {
                        line.writeBytes(cached)
                    } else {
                        // An ERROR carries a Status, written in metav1.Status's field order.
                        line.writeBytes(event.type == "ERROR" ? StatusEncoding.serialize(object).dropLast() : JSONSerializer.serialize(object)[...])
                    }
                    line.writeStaticString("}\n")
                    try await writer.write(line)
                }
            }
            // SIGTERM ends every watch (as kube-apiserver closes them when it stops): the server's
            // graceful shutdown waits for open responses, and a watch would never end by itself.
            try await withGracefulShutdownHandler {
                if inProcess {
                    // The in-process client cancels the task that writes, which ends `handle.events`.
                    try await stream()
                } else {
                    try await body.consumeWithInboundCloseHandler { _ in try await stream() } onInboundClosed: { handle.cancel() }
                }
            } onGracefulShutdown: {
                handle.cancel()
            }
            try await writer.finish(nil)
        })
    }
}
