import Foundation
import Hummingbird
import KubeClient
import KubeModel

/// `GET /containerLogs/{namespace}/{pod}/{container}` as the kubelet's getContainerLogs answers
/// it: the options decoded and validated, the pod and container looked up, the container's
/// state checked, then the log streamed (chunked, each piece flushed) until the reader is done
/// or the client goes. Errors are plain text, as go-restful's WriteError writes them.
struct ContainerLogsHandler {
    let logs: any ContainerLogSource
    let clock: any WallClock

    func respond(_ request: Request, namespace: String, pod: String, container: String) -> Response {
        var query: [String: String] = [:]
        for (k, v) in request.uri.queryParameters where query[String(k)] == nil { query[String(k)] = String(v) }
        let options: ContainerLogOptions
        do {
            options = try ContainerLogOptions(query: query)
        } catch .undecodable {
            return Self.text(#"{"message": "Unable to decode query."}"#, .badRequest)
        } catch {
            return Self.text(#"{"message": "Invalid request."}"#, .unprocessableContent)
        }
        let podObject = logs.pod(namespace: namespace, name: pod)
        if let podObject {
            guard ContainerLogStatus.hasContainer(pod: podObject, container) else {
                return Self.text("container \(ContainerLogStatus.quote(container)) not found in pod \(ContainerLogStatus.quote(pod))", .notFound)
            }
            if let problem = ContainerLogStatus.problem(pod: podObject, container: container, previous: options.previous) {
                return Self.text(problem, .badRequest)
            }
        }
        guard let file = logs.logFile(namespace: namespace, pod: pod, container: container, previous: options.previous) else {
            if podObject == nil { return Self.text("pod \(ContainerLogStatus.quote(pod)) does not exist", .notFound) }
            if options.previous {
                return Self.text("previous terminated container \(ContainerLogStatus.quote(container)) in pod \(ContainerLogStatus.quote(pod)) not found", .badRequest)
            }
            return Self.text("container \(ContainerLogStatus.quote(container)) in pod \(ContainerLogStatus.quote(pod)) is not available", .badRequest)
        }
        let logs = self.logs
        let previous = options.previous
        let reader = ContainerLogReader(path: file.path, options: options, clock: clock) {
            logs.logFile(namespace: namespace, pod: pod, container: container, previous: previous)?.running ?? false
        }
        let body = request.body
        return Response(status: .ok, headers: [.contentType: "text/plain"], body: ResponseBody { writer in
            // A client that goes away ends the read, even while it waits for new lines.
            do {
                try await body.consumeWithCancellationOnInboundClose { _ in
                    try await reader.read { chunk in try await writer.write(ByteBuffer(bytes: chunk)) }
                }
            } catch is CancellationError {
                return
            }
            try await writer.finish(nil)
        })
    }

    static func text(_ message: String, _ status: HTTPResponse.Status) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: message)))
    }
}
