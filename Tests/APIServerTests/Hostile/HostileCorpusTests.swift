import Foundation
import KplaneTestSupport
import Testing

/// Every request of `HostileCorpus` goes to a real `kplane apiserver` over a raw socket, so that
/// malformed HTTP really goes on the wire. None may crash the server, get a 5xx or an answer that
/// is not a `kind: Status`, change the store, or make the server's memory jump; and the server
/// still answers afterwards. Alone it takes some 10 s; each exchange that is not over within 20 s
/// fails (a request that makes the server work for minutes is a finding too), and the time limit
/// bounds the whole on a machine loaded by the rest of the suite.
@Suite(.timeLimit(.minutes(4))) struct HostileCorpusTests {
    static let lists = ["/api/v1/configmaps", "/api/v1/secrets", "/api/v1/namespaces", "/apis/apps/v1/deployments", "/api/v1/pods", "/api/v1/services"]

    @Test func hostileRequestsGetAStatusAndChangeNothing() async throws {
        let server = try ServerProcess()
        try await seed(server)
        let before = try await snapshot(server)
        let residentBefore = try #require(server.residentBytes)
        let cases = HostileCorpus.all
        #expect(cases.count >= 200)
        #expect(Set(cases.map(\.name)).count == cases.count, "case names are unique")

        let port = server.port
        var problems: [String] = []
        // Four clients at a time, as a hostile client would not wait its turn either.
        for batch in stride(from: 0, to: cases.count, by: 4).map({ cases[$0..<min($0 + 4, cases.count)] }) {
            let results = await withTaskGroup(of: (String, String?).self) { group in
                for c in batch {
                    group.addTask {
                        let (bytes, closed) = await offThread { Self.exchange(port, c.bytes) }
                        return (c.name, Self.check(c, RawResponse.all(bytes), closed: closed))
                    }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            for (name, problem) in results {
                if let problem { problems.append("\(name): \(problem.prefix(200))") }
            }
            if !server.isRunning {
                Issue.record("the server died on one of \(batch.map(\.name))")
                return
            }
        }
        #expect(problems.isEmpty, Comment(rawValue: "\(problems.count) of \(cases.count) cases:\n" + problems.joined(separator: "\n")))

        #expect(try await server.request("GET", "/healthz").text == "ok")
        let after = try await snapshot(server)
        for (path, bytes) in before { #expect(after[path] == bytes, "\(path) changed") }
        let residentAfter = try #require(server.residentBytes)
        // Three-megabyte bodies are read and parsed on several threads at once, so the heap may
        // grow by some tens of megabytes; a document expanding its aliases grows it by gigabytes.
        #expect(residentAfter - residentBefore < 192 << 20, "RSS grew from \(residentBefore >> 20) MB to \(residentAfter >> 20) MB")
    }

    /// One connection: the request, and everything the server answers. A request that asks for
    /// `Connection: close` waits for its answer as kubectl would; the others (cut short, framed
    /// badly) end the stream so the server sees where they stop. (NIO drops what is still
    /// unwritten of a response, past the socket buffer, once a half-closed client's output is
    /// shut too.)
    static func exchange(_ port: Int, _ bytes: [UInt8]) -> (bytes: [UInt8], closed: Bool) {
        guard let c = try? RawConnection(port: port) else { return ([], false) }
        c.send(bytes)
        let head = String(decoding: bytes.prefix(4096), as: UTF8.self)
        if !head.contains("\r\nConnection: close\r\n") || head.components(separatedBy: "\r\nConnection:").count > 2 {
            c.shutdownWrite()
        }
        return c.readUntilClosed(timeout: 20)
    }

    /// What is wrong with the answers to `c`, if anything.
    static func check(_ c: HostileCorpus.Case, _ responses: [RawResponse], closed: Bool) -> String? {
        if !closed { return "the server kept the connection open" }
        for r in responses {
            if r.status >= 500 { return "answered \(r.status): \(r.text)" }
            if r.status >= 400 && !r.isStatus { return "answered \(r.status) without a Status: \(r.text)" }
        }
        let last = responses.last
        switch c.expect {
        case .closed:
            if let last, !(400..<500).contains(last.status) { return "answered \(last.status)" }
        case .answered:
            if last == nil { return "no answer" }
        case .clientError:
            guard let last else { return "no answer" }
            if !(400..<500).contains(last.status) { return "answered \(last.status): \(last.text)" }
        case .code(let code):
            guard let last else { return "no answer" }
            if last.status != code { return "answered \(last.status), not \(code): \(last.text)" }
        }
        return nil
    }

    func seed(_ server: ServerProcess) async throws {
        let cm = #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"target","finalizers":["f0"]},"data":{"a":"1"}}"#
        #expect(try await server.request("POST", HostileCorpus.cms, body: cm).status == 201)
        let secret = #"{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s1"},"stringData":{"k":"v"}}"#
        #expect(try await server.request("POST", "/api/v1/namespaces/default/secrets", body: secret).status == 201)
        let deployment = #"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"replicas":1,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"app","image":"nginx"}]}}}}"#
        #expect(try await server.request("POST", "/apis/apps/v1/namespaces/default/deployments", body: deployment).status == 201)
    }

    /// The lists of the store, byte for byte.
    func snapshot(_ server: ServerProcess) async throws -> [String: Data] {
        var out: [String: Data] = [:]
        for path in Self.lists { out[path] = try await server.request("GET", path).body }
        return out
    }
}

/// Runs blocking socket work on a thread of its own, off the test's cooperative threads.
func offThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread.detachNewThread { continuation.resume(returning: body()) }
    }
}
