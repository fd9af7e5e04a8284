import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import KplaneTestSupport
import NIOCore
import NIOHTTP1
import NIOPosix
import Testing
@testable import APIServer
@testable import KubeModel

/// A backend that answers with what it received: method, target, a few headers, the body.
private struct EchoBackend: HTTPResponder {
    typealias Context = BasicRequestContext
    func respond(to request: Request, context: Context) async throws -> Response {
        var body = try await request.body.collect(upTo: 1 << 20)
        if request.uri.path == "/redirect" { return Response(status: .found, headers: [.location: "/elsewhere", .contentLength: "0"]) }
        let header = { (name: String) in HTTPField.Name(name).flatMap { request.headers[$0] } ?? "-" }
        let lines = ["\(request.method.rawValue) \(request.uri.string)", "authorization=\(header("Authorization"))",
                     "x-forwarded-uri=\(header("X-Forwarded-Uri"))", "x-test=\(header("X-Test"))",
                     "body=\(body.readString(length: body.readableBytes) ?? "")"]
        var headers: HTTPFields = [.contentType: "text/plain"]
        if let cors = HTTPField.Name("Access-Control-Allow-Origin"), let custom = HTTPField.Name("X-Backend") {
            headers[cors] = "*"
            headers[custom] = "echo"
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: lines.joined(separator: "\n"))))
    }
}

/// An in-process API server and an echo backend on loopback, stopped when the test ends.
private struct ProxyFixture {
    let apiPort: Int
    let backendPort: Int
    let server: APIServer
    let tasks: [Task<Void, any Error>]

    static func start() async throws -> ProxyFixture {
        var config = APIServerConfig(dataDir: temporaryDirectory())
        config.port = 0
        let server = try await APIServer(config: config)
        let (apiPorts, apiReady) = AsyncStream.makeStream(of: Int.self)
        let apiTask = Task { try await server.run { apiReady.yield($0) } }
        let (backendPorts, backendReady) = AsyncStream.makeStream(of: Int.self)
        let backend = Application(responder: EchoBackend(), configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                                  onServerRunning: { backendReady.yield($0.localAddress?.port ?? 0) })
        let backendTask = Task { try await backend.runService() }
        var a = apiPorts.makeAsyncIterator(), b = backendPorts.makeAsyncIterator()
        let apiPort = try #require(await a.next()), backendPort = try #require(await b.next())
        return ProxyFixture(apiPort: apiPort, backendPort: backendPort, server: server, tasks: [apiTask, backendTask])
    }

    func stop() { tasks.forEach { $0.cancel() } }

    static let client: HTTPClient = {
        var config = HTTPClient.Configuration()
        config.redirectConfiguration = .disallow
        return HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: config)
    }()

    static func get(_ port: Int, _ path: String, method: HTTPMethod = .GET, body: String? = nil,
                    headers: [(String, String)] = []) async throws -> (status: Int, headers: HTTPHeaders, body: String) {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = method
        for (k, v) in headers { request.headers.add(name: k, value: v) }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await client.execute(request, timeout: .seconds(30))
        var bytes = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), response.headers, bytes.readString(length: bytes.readableBytes) ?? "")
    }

    func request(_ path: String, method: HTTPMethod = .GET, body: String? = nil, headers: [(String, String)] = []) async throws
        -> (status: Int, headers: HTTPHeaders, body: String)
    {
        try await Self.get(apiPort, path, method: method, body: body, headers: headers)
    }

    /// A running pod at `ip` with one container port, and (optionally) a Service selecting it
    /// with one EndpointSlice listing it.
    func createPod(_ name: String, ip: String, port: Int) async throws {
        let api = server.api
        let pod: JSONValue = ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": .string(name), "labels": ["app": "web"]],
                              "spec": ["nodeName": "n1", "containers": [["name": "app", "image": "web", "ports": [["containerPort": .int(Int64(port))]]]]]]
        _ = try await api.create(pods, namespace: "default", body: pod)
        _ = try await api.patch(pods, namespace: "default", name: name, type: .merge,
                                patch: ["status": ["phase": "Running", "podIP": .string(ip), "podIPs": [["ip": .string(ip)]]]], subresource: .status)
    }

    func createService(_ name: String, portName: String?, targetPort: Int, endpoints: [(pod: String, ip: String, ready: Bool)]) async throws {
        let api = server.api
        var port: JSONValue = ["port": 80, "targetPort": .int(Int64(targetPort))]
        if let portName { port["name"] = .string(portName) }
        _ = try await api.create(services, namespace: "default",
                                 body: ["apiVersion": "v1", "kind": "Service", "metadata": ["name": .string(name)], "spec": ["selector": ["app": "web"], "ports": [port]]])
        var slicePort: JSONValue = ["port": .int(Int64(targetPort)), "protocol": "TCP"]
        if let portName { slicePort["name"] = .string(portName) }
        let eps: [JSONValue] = endpoints.map { e in
            ["addresses": [.string(e.ip)], "conditions": ["ready": .bool(e.ready)], "targetRef": ["kind": "Pod", "name": .string(e.pod), "namespace": "default"]]
        }
        let slices = resource("discovery.k8s.io", "v1", "endpointslices")
        _ = try await api.create(slices, namespace: "default", body: [
            "apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice", "addressType": "IPv4",
            "metadata": ["name": .string("\(name)-abcde"), "labels": ["kubernetes.io/service-name": .string(name)]],
            "endpoints": .array(eps), "ports": [slicePort]])
    }
}

@Suite struct ResourceProxyTests {
    @Test func splitSchemeNamePort() {
        #expect(ProxyLocation.splitSchemeNamePort("web")! == ("", "web", ""))
        #expect(ProxyLocation.splitSchemeNamePort("web:80")! == ("", "web", "80"))
        #expect(ProxyLocation.splitSchemeNamePort("https:web:443")! == ("https", "web", "443"))
        #expect(ProxyLocation.splitSchemeNamePort("ftp:web:21") == nil)
        #expect(ProxyLocation.splitSchemeNamePort(":80") == nil)
        #expect(ProxyLocation.splitSchemeNamePort("a:b:c:d") == nil)
    }

    @Test func backendPath() {
        let base = "/api/v1/namespaces/default/services/web:80/proxy"
        #expect(ProxyPath.backendPath(base) == nil)
        #expect(ProxyPath.backendPath(base + "/") == "/")
        #expect(ProxyPath.backendPath(base + "/a/b") == "/a/b")
        #expect(ProxyPath.backendPath(base + "/a//b/../c/") == "/a/c/")
        #expect(ProxyPath.backendPath(base + "/../../etc") == "/etc")
    }

    @Test func podProxyForwardsMethodPathQueryHeadersAndBody() async throws {
        let f = try await ProxyFixture.start()
        defer { f.stop() }
        try await f.createPod("web-1", ip: "127.0.0.1", port: f.backendPort)
        let r = try await f.request("/api/v1/namespaces/default/pods/web-1/proxy/hello/world?x=1&y=2", method: .POST, body: "ping",
                                    headers: [("X-Test", "yes"), ("Authorization", "Bearer secret")])
        #expect(r.status == 200)
        #expect(r.body == """
            POST /hello/world?x=1&y=2
            authorization=-
            x-forwarded-uri=/api/v1/namespaces/default/pods/web-1/proxy/hello/world
            x-test=yes
            body=ping
            """)
        #expect(r.headers["X-Backend"] == ["echo"])
        #expect(r.headers["Access-Control-Allow-Origin"].isEmpty, "the backend's CORS headers are removed")
        // The port named explicitly, and a backend's redirect passed back, not followed.
        let redirect = try await f.request("/api/v1/namespaces/default/pods/web-1:\(f.backendPort)/proxy/redirect")
        #expect(redirect.status == 302 && redirect.headers["Location"] == ["/elsewhere"])
        // Without a path, GET is redirected to the directory.
        let root = try await f.request("/api/v1/namespaces/default/pods/web-1/proxy?a=b")
        #expect(root.status == 301 && root.headers["Location"] == ["/api/v1/namespaces/default/pods/web-1/proxy/?a=b"])
    }

    @Test func podProxyErrors() async throws {
        let f = try await ProxyFixture.start()
        defer { f.stop() }
        let missing = try await f.request("/api/v1/namespaces/default/pods/nope/proxy/")
        #expect(missing.status == 404 && missing.body.contains(#""message":"pods \"nope\" not found""#))
        let invalid = try await f.request("/api/v1/namespaces/default/pods/ftp:web:1/proxy/")
        #expect(invalid.status == 400 && invalid.body.contains(#""message":"invalid pod request \"ftp:web:1\"""#))
        try await f.createPod("linklocal", ip: "169.254.169.254", port: 80)
        let refused = try await f.request("/api/v1/namespaces/default/pods/linklocal/proxy/")
        #expect(refused.status == 400 && refused.body.contains(#""message":"address not allowed""#))
        // Nothing listens on that port: the dial error, as a 500 without a reason.
        try await f.createPod("closed", ip: "127.0.0.1", port: 1)
        let closed = try await f.request("/api/v1/namespaces/default/pods/closed/proxy/")
        #expect(closed.status == 500 && closed.body.contains("dial tcp 127.0.0.1:1: connect: connection refused"))
    }

    @Test func serviceProxyResolvesPortsAndEndpoints() async throws {
        let f = try await ProxyFixture.start()
        defer { f.stop() }
        try await f.createPod("web-1", ip: "127.0.0.1", port: f.backendPort)
        try await f.createService("web", portName: "http", targetPort: f.backendPort, endpoints: [("web-1", "127.0.0.1", true)])
        // The three requests share one keep-alive connection, as `kubectl proxy` sends them.
        for id in ["web:80", "web:http", "http:web:80"] {
            let r = try await f.request("/api/v1/namespaces/default/services/\(id)/proxy/p?q=1")
            #expect(r.status == 200 && r.body.hasPrefix("GET /p?q=1\n"), "\(id): \(r.body)")
        }
        let noPort = try await f.request("/api/v1/namespaces/default/services/web:81/proxy/")
        #expect(noPort.status == 503 && noPort.body.contains(#""message":"no service port 81 found for service \"web\"""#)
                && noPort.body.contains(#""reason":"ServiceUnavailable""#))
        let wrongName = try await f.request("/api/v1/namespaces/default/services/web:grpc/proxy/")
        #expect(wrongName.status == 503 && wrongName.body.contains(#""message":"no endpoints available for service \"web:grpc\"""#))
        let missing = try await f.request("/api/v1/namespaces/default/services/nope:80/proxy/")
        #expect(missing.status == 404 && missing.body.contains(#""message":"services \"nope\" not found""#))
        // Only not-ready endpoints: none to go to.
        try await f.createService("idle", portName: nil, targetPort: f.backendPort, endpoints: [("web-1", "127.0.0.1", false)])
        let idle = try await f.request("/api/v1/namespaces/default/services/idle/proxy/")
        #expect(idle.status == 503 && idle.body.contains(#""message":"no endpoints available for service \"idle\"""#))
    }

    @Test func discoveryListsProxySubresources() async throws {
        let f = try await ProxyFixture.start()
        defer { f.stop() }
        let r = try await f.request("/api/v1")
        #expect(r.body.contains(#"{"kind":"ServiceProxyOptions","name":"services/proxy","namespaced":true,"singularName":"","verbs":["create","delete","get","patch","update"]}"#))
        #expect(r.body.contains(#"{"kind":"PodProxyOptions","name":"pods/proxy","namespaced":true,"singularName":"","verbs":["create","delete","get","patch","update"]}"#))
    }
}
