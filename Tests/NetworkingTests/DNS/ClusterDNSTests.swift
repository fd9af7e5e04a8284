import Foundation
import KplaneTestSupport
import KubeModel
import Testing
@testable import Networking

/// DNS messages on the wire and the cluster zone's answers, case by case.
@Suite struct ClusterDNSTests {
    /// `dig myapp.default.svc.cluster.local A` as glibc sends it (id 0x1234, RD set).
    static let query: [UInt8] = [
        0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        5, 0x6d, 0x79, 0x61, 0x70, 0x70, 7, 0x64, 0x65, 0x66, 0x61, 0x75, 0x6c, 0x74, 3, 0x73, 0x76, 0x63,
        7, 0x63, 0x6c, 0x75, 0x73, 0x74, 0x65, 0x72, 5, 0x6c, 0x6f, 0x63, 0x61, 0x6c, 0, 0x00, 0x01, 0x00, 0x01,
    ]

    @Test func aQueryDecodesAndEncodesBackToTheSameBytes() throws {
        let m = try DNSMessage(decoding: Self.query)
        #expect(m.id == 0x1234 && !m.isResponse && m.recursionDesired)
        #expect(m.questions == [DNSMessage.Question(name: "myapp.default.svc.cluster.local", type: 1)])
        #expect(m.encoded() == Self.query)
    }

    @Test(arguments: [
        ("truncated header", [UInt8](Self.query.prefix(8))),
        ("truncated name", [UInt8](Self.query.prefix(20))),
        ("pointer loop", [0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 12, 0, 1, 0, 1]),
        ("label too long", [0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 64] + [UInt8](repeating: 0x61, count: 64) + [0, 0, 1, 0, 1]),
    ])
    func malformedMessagesAreRefused(_ name: String, _ bytes: [UInt8]) {
        #expect(throws: DNSMessage.MalformedMessage.self, "\(name)") { try DNSMessage(decoding: bytes) }
    }

    /// A headless Service of 70,000 addresses (a large simulated fleet) does not fit a message:
    /// the answer keeps what fits in 65,535 bytes, counts it right and says it is truncated.
    @Test func answersPastTheLargestMessageAreLeftOutAndTheMessageSaysTruncated() throws {
        var m = DNSMessage(id: 7, isResponse: true, questions: [DNSMessage.Question(name: "big.default.svc.cluster.local", type: 1)])
        m.answers = (0..<70_000).map { i in
            DNSMessage.Record(name: "big.default.svc.cluster.local", ttl: 5, data: .a([10, 244, UInt8(i >> 8 & 255), UInt8(i & 255)]))
        }
        let bytes = m.encoded()
        #expect(bytes.count <= 65_535)
        #expect(bytes[2] & 0x02 != 0)
        // The header, the question (a 31-byte name, type and class), then whole 45-byte A records.
        let count = Int(bytes[6]) << 8 | Int(bytes[7])
        #expect(bytes.count == 12 + 35 + count * 45)
        #expect(count > 1_000 && count < 70_000)
    }

    @Test func compressedNamesAreFollowed() throws {
        // Two questions, the second pointing at the first's name.
        var bytes = Self.query
        bytes[5] = 2
        bytes += [0xC0, 12, 0x00, 0x21, 0x00, 0x01]
        let m = try DNSMessage(decoding: bytes)
        #expect(m.questions.map(\.name) == ["myapp.default.svc.cluster.local", "myapp.default.svc.cluster.local"])
        #expect(m.questions.last?.type == 33)
    }

    static let zone = ClusterDNSZone(
        service: { ns, name in
            switch (ns, name) {
            case ("default", "myapp"):
                return ["metadata": ["name": "myapp", "namespace": "default"],
                        "spec": ["clusterIP": "10.96.0.10", "ports": [["name": "http", "port": 80, "protocol": "TCP"]]]]
            case ("default", "db"):
                return ["metadata": ["name": "db", "namespace": "default"],
                        "spec": ["clusterIP": "None", "ports": [["name": "pg", "port": 5432, "protocol": "TCP"]]]]
            case ("default", "ext"):
                return ["metadata": ["name": "ext", "namespace": "default"], "spec": ["type": "ExternalName", "externalName": "db.Example.com"]]
            default: return nil
            }
        },
        slices: { ns, name in
            guard ns == "default", name == "db" else { return [] }
            return [["endpoints": [
                ["addresses": ["10.244.0.7"], "conditions": ["ready": true], "hostname": "db-0"],
                ["addresses": ["10.244.1.3"], "conditions": ["ready": true], "hostname": "db-1"],
                ["addresses": ["10.244.1.9"], "conditions": ["ready": false], "hostname": "db-2"],
                ["addresses": ["10.244.2.4"], "conditions": ["ready": true]],
            ]]]
        })

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let type: UInt16
        let code: DNSMessage.ResponseCode
        let answers: [DNSMessage.Record.Data]
        var testDescription: String { "\(name) \(type)" }
    }

    @Test(arguments: [
        Case(name: "myapp.default.svc.cluster.local", type: 1, code: .noError, answers: [.a([10, 96, 0, 10])]),
        Case(name: "MyApp.Default.svc.cluster.local", type: 1, code: .noError, answers: [.a([10, 96, 0, 10])]),
        Case(name: "myapp.default.svc.cluster.local", type: 28, code: .noError, answers: []),
        Case(name: "db.default.svc.cluster.local", type: 1, code: .noError, answers: [.a([10, 244, 0, 7]), .a([10, 244, 1, 3]), .a([10, 244, 2, 4])]),
        Case(name: "db-1.db.default.svc.cluster.local", type: 1, code: .noError, answers: [.a([10, 244, 1, 3])]),
        // An endpoint without a hostname is named by its address, dashed.
        Case(name: "10-244-2-4.db.default.svc.cluster.local", type: 1, code: .noError, answers: [.a([10, 244, 2, 4])]),
        Case(name: "10-244-1-9.db.default.svc.cluster.local", type: 1, code: .nameError, answers: []),
        // A headless Service's SRV records point at each ready endpoint.
        Case(name: "_pg._tcp.db.default.svc.cluster.local", type: 33, code: .noError, answers: [
            .srv(priority: 0, weight: 33, port: 5432, target: "10-244-2-4.db.default.svc.cluster.local"),
            .srv(priority: 0, weight: 33, port: 5432, target: "db-0.db.default.svc.cluster.local"),
            .srv(priority: 0, weight: 33, port: 5432, target: "db-1.db.default.svc.cluster.local"),
        ]),
        // An ExternalName Service is a CNAME to its name.
        Case(name: "ext.default.svc.cluster.local", type: 1, code: .noError, answers: [.cname("db.example.com")]),
        Case(name: "ext.default.svc.cluster.local", type: 5, code: .noError, answers: [.cname("db.example.com")]),
        Case(name: "ext.default.svc.cluster.local", type: 33, code: .noError, answers: []),
        // Pod records spell their address (CoreDNS's `pods insecure`).
        Case(name: "10-244-0-7.default.pod.cluster.local", type: 1, code: .noError, answers: [.a([10, 244, 0, 7])]),
        Case(name: "10-244-0.default.pod.cluster.local", type: 1, code: .nameError, answers: []),
        Case(name: "x.10-244-0-7.default.pod.cluster.local", type: 1, code: .nameError, answers: []),
        Case(name: "db-2.db.default.svc.cluster.local", type: 1, code: .nameError, answers: []),
        Case(name: "_http._tcp.myapp.default.svc.cluster.local", type: 33, code: .noError,
             answers: [.srv(priority: 0, weight: 100, port: 80, target: "myapp.default.svc.cluster.local")]),
        Case(name: "_grpc._tcp.myapp.default.svc.cluster.local", type: 33, code: .nameError, answers: []),
        Case(name: "nope.default.svc.cluster.local", type: 1, code: .nameError, answers: []),
        Case(name: "myapp.svc.cluster.local", type: 1, code: .nameError, answers: []),
        Case(name: "myapp.default.svc.cluster.local.default.svc.cluster.local", type: 1, code: .nameError, answers: []),
        Case(name: "example.com", type: 1, code: .refused, answers: []),
        Case(name: "nope", type: 1, code: .nameError, answers: []),
    ])
    func theZoneAnswersAsCoreDNS(_ c: Case) throws {
        var q = DNSMessage(id: 7, isResponse: false, questions: [DNSMessage.Question(name: c.name.lowercased(), type: c.type)])
        q.recursionDesired = true
        let wire = try DNSMessage(decoding: Self.zone.answer(q).encoded())
        let reply = Self.zone.answer(q)
        #expect(wire.id == 7 && wire.isResponse && wire.responseCode == c.code)
        #expect(reply.answers.map(\.data) == c.answers)
        #expect(reply.answers.allSatisfy { $0.name == c.name.lowercased() && $0.ttl == 5 })
    }
}

/// The server on a UDP socket, over the informers of an in-process cluster.
@Suite struct ClusterDNSServerTests {
    @Test func aServiceResolvesOverUDPAndAnUnknownNameIsNXDOMAIN() async throws {
        let c = try await TestCluster(nodes: 1)
        let shared = c.controllers.informers
        let server = try await ClusterDNSServer(host: "127.0.0.1", port: 0, services: shared.informer(ClusterDNSServer.services),
                                                endpointSlices: shared.informer(ClusterDNSServer.endpointSlices))
        let svc = try await c.apply(["apiVersion": "v1", "kind": "Service", "metadata": ["name": "myapp", "namespace": "default"],
                                     "spec": ["selector": ["app": "myapp"], "ports": [["port": 80]]]])
        let ip = try #require(Service(svc).spec.clusterIP)
        try await c.until("the service in the cache") { shared.informer(ClusterDNSServer.services).get("default/myapp") != nil }
        let reply = try #require(try Self.exchange(port: server.port, ClusterDNSTests.query))
        let answer = try DNSMessage(decoding: reply)
        #expect(answer.id == 0x1234 && answer.isResponse && answer.responseCode == .noError)
        // The answer section follows the question: its A record's last 4 bytes are the ClusterIP.
        #expect(reply.suffix(4).map { String($0) }.joined(separator: ".") == ip)
        var unknown = DNSMessage(id: 9, isResponse: false, questions: [DNSMessage.Question(name: "nope.default.svc.cluster.local", type: 1)])
        unknown.recursionDesired = true
        let nx = try DNSMessage(decoding: try #require(try Self.exchange(port: server.port, unknown.encoded())))
        #expect(nx.responseCode == .nameError)
        // The same over TCP, each message after its two-byte length.
        let framed = try #require(try Self.exchangeTCP(port: server.port, ClusterDNSTests.query))
        #expect(framed == reply)
        await server.close()
        await c.stop()
    }

    /// One framed message over TCP to 127.0.0.1:port and the framed reply, unframed.
    static func exchangeTCP(port: Int, _ bytes: [UInt8]) throws -> [UInt8]? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        let connected = withLoopback(fd, port: port) { connect(fd, $0, $1) }
        guard connected == 0 else { return nil }
        let framed = [UInt8(bytes.count >> 8), UInt8(bytes.count & 0xFF)] + bytes
        guard send(fd, framed, framed.count, 0) == framed.count else { return nil }
        var got: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 4096)
        while true {
            if got.count >= 2, got.count >= 2 + (Int(got[0]) << 8 | Int(got[1])) { break }
            let n = recv(fd, &buf, buf.count, 0)
            guard n > 0 else { return nil }
            got += buf.prefix(n)
        }
        return Array(got.dropFirst(2).prefix(Int(got[0]) << 8 | Int(got[1])))
    }

    /// Gives `fd` a two-second receive timeout and calls `body` with the address 127.0.0.1:port.
    static func withLoopback<R>(_ fd: Int32, port: Int, _ body: (UnsafePointer<sockaddr>, socklen_t) -> R) -> R {
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
    }

    /// One datagram to 127.0.0.1:port and its reply (nil after two seconds).
    static func exchange(port: Int, _ bytes: [UInt8]) throws -> [UInt8]? {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(fd) }
        let sent = withLoopback(fd, port: port) { sendto(fd, bytes, bytes.count, 0, $0, $1) }
        guard sent == bytes.count else { return nil }
        var buf = [UInt8](repeating: 0, count: 1500)
        let n = recv(fd, &buf, buf.count, 0)
        return n > 0 ? Array(buf.prefix(n)) : nil
    }
}
