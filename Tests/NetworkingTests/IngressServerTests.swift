import Foundation
import HTTPTypes
import Hummingbird
import KplaneTestSupport
import KubeModel
import NIOCore
import NIOPosix
import Testing
@testable import Networking

/// A backend that answers with what it received: the request line and the headers nginx sets.
private struct EchoBackend: HTTPResponder {
    typealias Context = BasicRequestContext
    let name: String
    static let big = 8 << 20
    func respond(to request: Request, context: Context) async throws -> Response {
        if request.uri.path == "/big" {
            // An answer much larger than the socket buffers, to be streamed.
            return Response(status: .ok, headers: [.contentType: "application/octet-stream"],
                            body: .init(byteBuffer: ByteBuffer(repeating: UInt8(ascii: "x"), count: EchoBackend.big)))
        }
        let body = try await request.body.collect(upTo: 4 << 20)
        let header = { (n: String) in HTTPField.Name(n).flatMap { request.headers[$0] } ?? "-" }
        let lines = ["\(name) \(request.method.rawValue) \(request.uri.string)", "host=\(request.head.authority ?? "-")",
                     "x-forwarded-for=\(header("X-Forwarded-For"))", "x-real-ip=\(header("X-Real-IP"))",
                     "x-forwarded-host=\(header("X-Forwarded-Host"))", "x-forwarded-proto=\(header("X-Forwarded-Proto"))",
                     "x-request-id=\(header("X-Request-ID"))", "body=\(body.readableBytes)"]
        return Response(status: .ok, headers: [.contentType: "text/plain"], body: .init(byteBuffer: ByteBuffer(string: lines.joined(separator: "\n"))))
    }
}

/// Runs `body` with two echo backends and an Ingress listener routing to them.
private func withIngress(_ ingresses: [Ingress], endpoints: @escaping @Sendable ([Int]) -> [String: [ServiceEndpoint]],
                         tls: IngressCertificates? = nil, readTimeout: TimeAmount = .seconds(60), _ body: @Sendable (_ port: Int, _ backends: [Int]) async throws -> Void) async throws {
    var tasks: [Task<Void, any Error>] = []
    defer { tasks.forEach { $0.cancel() } }
    var backends: [Int] = []
    for name in ["one", "two"] {
        let (ports, ready) = AsyncStream.makeStream(of: Int.self)
        let app = Application(responder: EchoBackend(name: name), configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { ready.yield($0.localAddress?.port ?? 0) })
        tasks.append(Task { try await app.runService() })
        var it = ports.makeAsyncIterator()
        backends.append(try #require(await it.next()))
    }
    let router = IngressRouter(ingresses)
    let proxy = IngressProxy(routes: { router }, endpoints: StaticEndpoints(endpoints(backends)), readTimeout: readTimeout)
    let server = IngressServer(proxy: proxy, tls: try tls?.serverContext())
    let (ports, ready) = AsyncStream.makeStream(of: Int.self)
    tasks.append(Task { try await server.run(host: "127.0.0.1", port: 0) { ready.yield($0) } })
    var it = ports.makeAsyncIterator()
    let port = try #require(await it.next())
    try await body(port, backends)
    await proxy.shutdown()
}

private func curl(_ args: [String]) async -> (code: Int32, out: String, err: String) {
    await offThread { (try? ServerProcess.run("/usr/bin/curl", ["-s", "--max-time", "20"] + args)) ?? (-1, "", "curl did not start") }
}

private func offThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { c in Thread.detachNewThread { c.resume(returning: body()) } }
}

@Suite struct IngressServerTests {
    static let shop = IngressRouterTests.ingress("shop", rules: [
        (host: "myapp.example.com", paths: [IngressRouterTests.path("/", "Prefix", "myapp")]),
        (host: "idle.example.com", paths: [IngressRouterTests.path("/", "Prefix", "idle")]),
        (host: "down.example.com", paths: [IngressRouterTests.path("/", "Prefix", "down")]),
        (host: "silent.example.com", paths: [IngressRouterTests.path("/", "Prefix", "silent")]),
    ])

    static func table(_ backends: [Int]) -> [String: [ServiceEndpoint]] {
        ["default/myapp:80": backends.map { ServiceEndpoint(ip: "127.0.0.1", port: $0) },
         "default/down:80": [ServiceEndpoint(ip: "127.0.0.1", port: 1)]]
    }

    @Test func routesWithNginxHeadersRoundRobinAndKeepAlive() async throws {
        try await withIngress([Self.shop], endpoints: Self.table) { port, _ in
            let c = try RawConnection(port: port)
            var seen: [String] = []
            for _ in 0..<4 {
                // One keep-alive connection for all four requests.
                c.send("GET /hello?x=1 HTTP/1.1\r\nHost: myapp.example.com\r\nX-Forwarded-For: 10.0.0.9\r\n\r\n")
                let reply = await offThread { () -> String? in
                    var data: [UInt8] = []
                    for _ in 0..<100 {
                        data += c.receiveSome(timeout: 0.2)
                        if let r = RawResponse.all(data).first, r.headers["content-length"] != nil { return String(decoding: r.body, as: UTF8.self) }
                    }
                    return nil
                }
                let text = try #require(reply)
                let lines = text.split(separator: "\n").map(String.init)
                seen.append(String(lines[0].prefix(3)))
                #expect(lines[0].hasSuffix(" GET /hello?x=1"))
                #expect(lines[1] == "host=myapp.example.com")
                #expect(lines[2] == "x-forwarded-for=127.0.0.1", "ingress-nginx replaces X-Forwarded-For by default")
                #expect(lines[3] == "x-real-ip=127.0.0.1")
                #expect(lines[4] == "x-forwarded-host=myapp.example.com")
                #expect(lines[5] == "x-forwarded-proto=http")
                let id = lines[6].dropFirst("x-request-id=".count)
                #expect(id.count == 32 && id.allSatisfy(\.isHexDigit))
            }
            #expect(seen == ["one", "two", "one", "two"])
        }
    }

    @Test func nginxPagesWhenNothingMatchesOrNoEndpointAnswers() async throws {
        try await withIngress([Self.shop], endpoints: Self.table) { port, _ in
            let missing = await curl(["-i", "-H", "Host: other.example.com", "http://127.0.0.1:\(port)/"])
            #expect(missing.out.hasPrefix("HTTP/1.1 404 Not Found\r\n") && missing.out.contains("Content-Type: text/html\r\n"))
            #expect(missing.out.hasSuffix("\r\n\r\n" + IngressPages.notFound.body))
            #expect(IngressPages.notFound.body == "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")
            let idle = await curl(["-i", "-H", "Host: idle.example.com", "http://127.0.0.1:\(port)/"])
            #expect(idle.out.hasPrefix("HTTP/1.1 503 Service Temporarily Unavailable\r\n") && idle.out.contains("<title>503 Service Temporarily Unavailable</title>"))
            let down = await curl(["-i", "-H", "Host: down.example.com", "http://127.0.0.1:\(port)/"])
            #expect(down.out.hasPrefix("HTTP/1.1 502 Bad Gateway\r\n") && down.out.contains("<title>502 Bad Gateway</title>"))
            // A target climbing above `/` is nginx's 400, sent as is (curl would resolve it).
            let climbing = await curl(["-i", "--path-as-is", "-H", "Host: myapp.example.com", "http://127.0.0.1:\(port)/../etc/passwd"])
            #expect(climbing.out.hasPrefix("HTTP/1.1 400 Bad Request\r\n") && climbing.out.contains("<title>400 Bad Request</title>"), "\(climbing.out)")
            // Over proxy-body-size (1m): 413.
            let big = String(repeating: "x", count: IngressProxy.maxBodySize + 1)
            let path = temporaryDirectory() + "/big"
            try big.write(toFile: path, atomically: true, encoding: .utf8)
            let large = await curl(["-i", "-H", "Host: myapp.example.com", "--data-binary", "@" + path, "http://127.0.0.1:\(port)/"])
            #expect(large.out.hasPrefix("HTTP/1.1 413 Request Entity Too Large\r\n"))
            let small = await curl(["-H", "Host: myapp.example.com", "--data-binary", "hello", "http://127.0.0.1:\(port)/"])
            #expect(small.out.hasSuffix("body=5"))
        }
    }

    /// A refused endpoint never saw the request, so even a POST goes on to the next one, as
    /// nginx's proxy_next_upstream "error" does.
    @Test func aRefusedEndpointPassesEvenAPostToTheNext() async throws {
        let table: @Sendable ([Int]) -> [String: [ServiceEndpoint]] = { backends in
            ["default/myapp:80": [ServiceEndpoint(ip: "127.0.0.1", port: 1), ServiceEndpoint(ip: "127.0.0.1", port: backends[0])]]
        }
        try await withIngress([Self.shop], endpoints: table) { port, _ in
            for _ in 0..<2 {
                let r = await curl(["-H", "Host: myapp.example.com", "--data-binary", "hello", "http://127.0.0.1:\(port)/"])
                #expect(r.out.hasPrefix("one") && r.out.hasSuffix("body=5"), "\(r)")
            }
        }
    }

    /// An answer far larger than the buffers arrives whole, over a kept-alive connection that
    /// then serves the next request.
    @Test func aLargeAnswerIsStreamedWhole() async throws {
        try await withIngress([Self.shop], endpoints: Self.table) { port, _ in
            let url = "http://127.0.0.1:\(port)/big"
            let r = await curl(["-o", "/dev/null", "-w", "%{http_code} %{size_download} %{num_connects}\n", "-H", "Host: myapp.example.com", url,
                                "-o", "/dev/null", "-H", "Host: myapp.example.com", url])
            #expect(r.out == "200 \(EchoBackend.big) 1\n200 \(EchoBackend.big) 0\n", "\(r)")
        }
    }

    /// An endpoint that takes the request and never answers: 504 after proxy-read-timeout.
    @Test func aSilentEndpointGivesGatewayTimeout() async throws {
        let silent = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        defer { silent.close(promise: nil) }
        let silentPort = try #require(silent.localAddress?.port)
        let table: @Sendable ([Int]) -> [String: [ServiceEndpoint]] = { backends in
            ["default/silent:80": [ServiceEndpoint(ip: "127.0.0.1", port: silentPort)]]
        }
        try await withIngress([Self.shop], endpoints: table, readTimeout: .milliseconds(500)) { port, _ in
            let started = ContinuousClock.now
            let r = await curl(["-i", "-H", "Host: silent.example.com", "http://127.0.0.1:\(port)/"])
            #expect(r.out.hasPrefix("HTTP/1.1 504 Gateway Time-out\r\n") && r.out.hasSuffix(IngressPages.gatewayTimeout.body), "\(r)")
            #expect(ContinuousClock.now - started >= .milliseconds(500))
        }
    }

    @Test func tlsBySNIWithTheIngressSecretElseTheFakeCertificate() async throws {
        let dir = temporaryDirectory()
        // A certificate for secure.example.com, made as a user makes one for a TLS Secret.
        let made = try ServerProcess.run("/usr/bin/openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=secure.example.com",
                                                             "-addext", "subjectAltName=DNS:secure.example.com", "-keyout", dir + "/tls.key", "-out", dir + "/tls.crt"])
        #expect(made.code == 0, "\(made.err)")
        let secret: JSONValue = ["apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/tls", "metadata": ["name": "secure-tls", "namespace": "default"],
                                 "data": ["tls.crt": .string(try Data(contentsOf: URL(fileURLWithPath: dir + "/tls.crt")).base64EncodedString()),
                                          "tls.key": .string(try Data(contentsOf: URL(fileURLWithPath: dir + "/tls.key")).base64EncodedString())]]
        let pair = try #require(IngressCertificates.KeyPair(secret: secret))
        let certificates = IngressCertificates(fallback: try IngressCertificates.fakeCertificate(in: dir + "/fake"))
        certificates.update(["secure.example.com": pair])
        let ingress = IngressRouterTests.ingress("secure", rules: [(host: "secure.example.com", paths: [IngressRouterTests.path("/", "Prefix", "myapp")])])
        try await withIngress([ingress], endpoints: Self.table, tls: certificates) { port, _ in
            // Verified against the Secret's certificate: the listener presented it for that name.
            let good = await curl(["--cacert", dir + "/tls.crt", "--resolve", "secure.example.com:\(port):127.0.0.1", "https://secure.example.com:\(port)/x"])
            #expect(good.code == 0 && good.out.contains(" GET /x") && good.out.contains("x-forwarded-proto=https"), "\(good)")
            // Another name: the fake certificate.
            let other = await curl(["-k", "-v", "--resolve", "other.example.com:\(port):127.0.0.1", "https://other.example.com:\(port)/"])
            #expect(other.err.contains("CN=Kubernetes Ingress Controller Fake Certificate"), "\(other.err)")
            #expect(other.out.contains("<title>404 Not Found</title>"))
        }
    }
}
