import APIServer
import Foundation
import KplaneTestSupport
import Testing

/// kube-apiserver's connection deadlines (Go's IdleTimeout and ReadHeaderTimeout), made short
/// through `APIServerConfig`: idle connections and slowloris clients are dropped, while a watch
/// outlives both deadlines.
@Suite struct ConnectionDeadlineTests {
    /// An in-process API server on a free port with the given deadlines; cancel the task to stop it.
    static func start(idle: TimeInterval, readHeader: TimeInterval) async throws -> (port: Int, task: Task<Void, any Error>) {
        var config = APIServerConfig(dataDir: temporaryDirectory())
        config.port = 0
        config.idleTimeout = idle
        config.readHeaderTimeout = readHeader
        let server = try await APIServer(config: config)
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let task = Task { try await server.run { continuation.yield($0) } }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())
        return (port, task)
    }

    @Test func idleAndSlowConnectionsAreClosed() async throws {
        let (port, task) = try await Self.start(idle: 1.5, readHeader: 1)
        defer { task.cancel() }
        // Connections that never send a byte, and slowloris clients that trickle one header byte
        // every 200 ms until the test ends: bytes keep arriving, but the headers never end.
        let idle = try await RawConnection.open(port: port, count: 400)
        let slow = try await RawConnection.open(port: port, count: 100)
        for c in slow { c.send("GET /api/v1/namespaces HTTP/1.1\r\nHost: x\r\n") }
        let trickleEnded = StopFlag()
        let trickle = Task.detached {
            for i in 0..<600 where !Task.isCancelled {
                for c in slow { c.send("X-\(i): y\r\n") }
                try? await Task.sleep(for: .milliseconds(200))
            }
            trickleEnded.set()
        }
        defer { trickle.cancel() }
        // A keep-alive client that made a request and then waits.
        let keepAlive = try await RawConnection.open(port: port)
        keepAlive.send("GET /version HTTP/1.1\r\nHost: x\r\n\r\n")

        let closedIdle = await offThread { idle.allSatisfy { $0.isClosed(within: 30) } }
        let closedSlow = await offThread { slow.allSatisfy { $0.isClosed(within: 30) } }
        #expect(closedIdle && closedSlow)
        #expect(!trickleEnded.isSet, "dropped at the read-header deadline while the headers still trickled in")
        let answered = await offThread { keepAlive.readUntilClosed(timeout: 30) }
        #expect(RawResponse.all(answered.bytes).first?.status == 200)
        #expect(answered.closed, "closed once idle for longer than the idle deadline")

        // The server still answers new clients.
        let fresh = try await RawConnection.open(port: port)
        fresh.send("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        let reply = await offThread { fresh.readUntilClosed(timeout: 30) }
        #expect(RawResponse.all(reply.bytes).first?.status == 200)
    }

    @Test func keepAliveSurvivesShortPauses() async throws {
        // Pauses shorter than the idle deadline, adding up to more than it; margins for a loaded machine.
        let (port, task) = try await Self.start(idle: 5, readHeader: 5)
        defer { task.cancel() }
        let c = try await RawConnection.open(port: port)
        // On a thread of its own: the test's cooperative threads may be slow to wake on a loaded machine.
        let reply = await offThread {
            for _ in 0..<3 {
                c.send("GET /version HTTP/1.1\r\nHost: x\r\n\r\n")
                Thread.sleep(forTimeInterval: 3)
            }
            c.send("GET /version HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            return c.readUntilClosed(timeout: 30)
        }
        #expect(RawResponse.all(reply.bytes).map(\.status) == [200, 200, 200, 200])
    }

    @Test func aStalledBodyIsDropped() async throws {
        let (port, task) = try await Self.start(idle: 1, readHeader: 1)
        defer { task.cancel() }
        let c = try await RawConnection.open(port: port)
        c.send("POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"metadata\":")
        let reply = await offThread { c.readUntilClosed(timeout: 30) }
        #expect(reply.closed)
    }

    @Test func aWatchOutlivesTheDeadlines() async throws {
        let (port, task) = try await Self.start(idle: 2, readHeader: 2)
        defer { task.cancel() }
        let watch = try await RawConnection.open(port: port)
        watch.send("GET /api/v1/namespaces/default/configmaps?watch=true HTTP/1.1\r\nHost: x\r\n\r\n")
        try await Task.sleep(for: .milliseconds(5000))
        let create = try await RawConnection.open(port: port)
        let body = #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"late"}}"#
        create.send("POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n" + body)
        let created = await offThread { create.readUntilClosed(timeout: 30) }
        #expect(RawResponse.all(created.bytes).first?.status == 201)
        let events = await offThread { watch.readUntilClosed(timeout: 3) }
        #expect(!events.closed, "the watch is still open")
        #expect(String(decoding: events.bytes, as: UTF8.self).contains(#""name":"late""#))
    }
}
