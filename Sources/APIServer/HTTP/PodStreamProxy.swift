import Foundation
import HTTPTypes
import Hummingbird
import KubeModel
import NIOCore
import NIOPosix

/// `pods/exec`, `pods/attach` and `pods/portforward`, as kube-apiserver's ExecREST & co. connect
/// them: the pod and container checked (streamLocation), the node's kubelet found at its
/// InternalIP and kubelet port (as for `pods/log`), the upgrade request passed on to the kubelet
/// and, once the kubelet has switched protocols, the bytes spliced both ways (Go's
/// UpgradeAwareHandler). kplane's kubelet terminates every protocol kubectl speaks (WebSocket
/// `v5.channel.k8s.io` and `v4`), so the API server translates nothing; the upgrade arrives as
/// GET (WebSocket) or POST (SPDY), so it is routed by path, not method. A kubelet's refusal
/// (`container not found ("app")`) reaches the client as the kubelet wrote it.
extension ResourceHandler {
    static let streamSubresources = ["exec": "exec", "attach": "attach", "portforward": "portForward"]

    func podStream(_ sub: String, namespace: String, name: String) async throws -> Response {
        guard let pods = api.catalog.find(group: "", version: "v1", plural: "pods"), let kubeletPath = Self.streamSubresources[sub] else {
            throw APIError.resourceNotFound()
        }
        let pod = try api.get(pods, namespace: namespace, name: name)
        var path = "/\(kubeletPath)/\(namespace)/\(name)"
        if sub != "portforward" { path += "/" + (try streamContainer(pod, name)) }
        let nodeName = pod[path: ["spec", "nodeName"]]?.stringValue ?? ""
        guard !nodeName.isEmpty else { throw APIError.badRequest("pod \(name) does not have a host assigned") }
        guard let nodes = api.catalog.find(group: "", version: "v1", plural: "nodes") else { throw APIError.resourceNotFound() }
        let node = try api.get(nodes, namespace: nil, name: nodeName)
        let address = (node[path: ["status", "addresses"]]?.arrayValue ?? [])
            .first { $0["type"]?.stringValue == "InternalIP" }?["address"]?.stringValue ?? ""
        let configured = Int(node[path: ["status", "daemonEndpoints", "kubeletEndpoint", "Port"]]?.intValue ?? 0)
        let port = configured > 0 ? configured : 10250
        guard KubeletLocation.isLoopback(address) else {
            // A simulated node runs no processes: there is nothing to run a command in or forward to.
            throw APIError.badRequest("pod \(name) runs on simulated node \(nodeName), which runs no processes: \(sub) needs a process node (kplane up --process-nodes N)")
        }
        guard let channel, Self.isUpgrade(request) else { throw APIError.badRequest("Upgrade request required") }
        let query = request.uri.query.map { "?" + $0 } ?? ""
        return try await splice(channel, to: address, port: port, path: path + query)
    }

    /// streamLocation's choice of container: the named one must exist; none named is fine
    /// when the pod has exactly one.
    private func streamContainer(_ pod: JSONValue, _ name: String) throws -> String {
        let containers = (pod[path: ["spec", "containers"]]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
        let initContainers = (pod[path: ["spec", "initContainers"]]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
        let ephemeral = (pod[path: ["spec", "ephemeralContainers"]]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
        let container = query["container"] ?? ""
        if container.isEmpty {
            switch containers.count {
            case 1: return containers[0]
            case 0: throw APIError.badRequest("a container name must be specified for pod \(name)")
            default:
                var message = "a container name must be specified for pod \(name), choose one of: [\(containers.joined(separator: " "))]"
                if !initContainers.isEmpty { message += " or one of the init containers: [\(initContainers.joined(separator: " "))]" }
                throw APIError.badRequest(message)
            }
        }
        guard containers.contains(container) || initContainers.contains(container) || ephemeral.contains(container) else {
            throw APIError.badRequest("container \(container) is not valid for pod \(name)")
        }
        return container
    }

    /// `Connection: Upgrade` with an `Upgrade` header (httpstream.IsUpgradeRequest).
    static func isUpgrade(_ request: Request) -> Bool {
        let connection = request.headers[values: .connection].flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        return connection.contains("upgrade") && request.headers[.upgrade] != nil
    }

    /// The headers an upgrade needs, passed on to the kubelet.
    private static let passedOn: [HTTPField.Name] = [
        .connection, .upgrade, .secWebSocketKey, .secWebSocketVersion, .secWebSocketProtocol, .secWebSocketExtensions, .userAgent,
    ]

    private func splice(_ channel: any Channel, to host: String, port: Int, path: String) async throws -> Response {
        let loop = channel.eventLoop
        let answered = loop.makePromise(of: StreamSplice.Answer.self)
        let kubeletEnd = StreamSplice(head: answered)
        let kubelet: any Channel
        do {
            kubelet = try await ClientBootstrap(group: loop)
                .connectTimeout(.seconds(30))
                .channelInitializer { ch in ch.eventLoop.makeCompletedFuture { try ch.pipeline.syncOperations.addHandler(kubeletEnd) } }
                .connect(host: host, port: port).get()
        } catch {
            answered.fail(error)
            throw APIError(code: 500, reason: "InternalError", message: "error dialing backend: dial tcp \(host):\(port): \(Self.dialError(error))")
        }
        var head = "\(request.method.rawValue) \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\n"
        for name in Self.passedOn {
            for value in request.headers[values: name] { head += "\(name.canonicalName): \(value)\r\n" }
        }
        for value in request.headers[values: HTTPField.Name("X-Stream-Protocol-Version")!] { head += "X-Stream-Protocol-Version: \(value)\r\n" }
        if request.method == .post { head += "Content-Length: 0\r\n" }
        head += "\r\n"
        kubelet.writeAndFlush(ByteBuffer(string: head), promise: nil)
        let answer: StreamSplice.Answer
        do {
            answer = try await answered.futureResult.get()
        } catch {
            kubelet.close(promise: nil)
            throw APIError(code: 500, reason: "InternalError", message: "error reading from backend: \(error)")
        }
        guard answer.code == 101 else {
            kubelet.close(promise: nil)
            return Self.kubeletRefusal(answer)
        }
        // Switched: the kubelet's 101 goes to the client as is, then bytes flow both ways.
        try await loop.submit {
            let clientEnd = StreamSplice()
            try channel.pipeline.syncOperations.addHandler(clientEnd, position: .first)
            clientEnd.writeAndFlush(answer.head)
            StreamSplice.join(clientEnd, kubeletEnd)
        }.get()
        try? await channel.closeFuture.get()
        kubelet.close(promise: nil)
        // Hummingbird's write of this finds the connection closed and stops.
        return Response(status: .switchingProtocols)
    }

    /// The kubelet's answer other than 101, as UpgradeAwareHandler copies it back.
    private static func kubeletRefusal(_ answer: StreamSplice.Answer) -> Response {
        var contentType = "text/plain; charset=utf-8"
        let text = answer.head.getString(at: answer.head.readerIndex, length: answer.head.readableBytes) ?? ""
        for line in text.split(separator: "\r\n") where line.lowercased().hasPrefix("content-type:") {
            contentType = line.dropFirst("content-type:".count).trimmingCharacters(in: .whitespaces)
        }
        return Response(status: HTTPResponse.Status(code: answer.code), headers: [.contentType: contentType, .contentLength: String(answer.rest.readableBytes)],
                        body: .init(byteBuffer: answer.rest))
    }

    private static func dialError(_ error: any Error) -> String {
        let text = "\(error)"
        if text.contains("refused") || text.contains("errno: 111") { return "connect: connection refused" }
        if text.contains("connectTimeout") { return "i/o timeout" }
        return text
    }
}
