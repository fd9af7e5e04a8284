import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A user's traffic during a rollout: `GET /` with the Ingress's Host header, again and again,
/// from two clients at once: one opening a new connection for each request (a `curl` loop) and
/// one keeping its connection alive (a browser). Every answer counts: a 200 with the seed app's
/// version is OK, anything else (another status, a refused or reset connection) failed.
final class RequestLoad: Sendable {
    struct Tally: Sendable {
        var ok = 0
        var failed = 0
        /// The first failures, for the test's message.
        var failures: [String] = []
        /// The versions answered since the last `window()`.
        var versions: [String: Int] = [:]
    }

    let port: Int
    let host: String
    /// Between two requests of one client: a curl loop's pace, gentle on a 2-core machine.
    let pause: Duration
    private let tally = Mutex(Tally())

    init(port: Int, host: String = "myapp.example.com", pause: Duration = .milliseconds(5)) {
        self.port = port
        self.host = host
        self.pause = pause
    }

    /// Both clients, until the task is cancelled.
    func start() -> Task<Void, Never> {
        Task {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await self.client(keepAlive: false) }
                group.addTask { await self.client(keepAlive: true) }
            }
        }
    }

    var totals: Tally { tally.withLock { $0 } }

    /// The versions answered since the previous call.
    func window() -> [String: Int] {
        tally.withLock { t in
            defer { t.versions = [:] }
            return t.versions
        }
    }

    /// One client: a new connection for each request, or one kept alive while the server
    /// keeps it.
    private func client(keepAlive: Bool) async {
        while !Task.isCancelled {
            do {
                let channel = try await connect()
                try await channel.executeThenClose { inbound, outbound in
                    var responses = inbound.makeAsyncIterator()
                    repeat {
                        let answer = try await exchange(outbound, &responses)
                        record(answer)
                        try await Task.sleep(for: pause)
                        if !keepAlive || !answer.keepAlive { return }
                    } while !Task.isCancelled
                }
            } catch {
                if !Task.isCancelled { failed("\(error)") }
            }
        }
    }

    private func connect() async throws -> NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart> {
        try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(5))
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(wrappingChannelSynchronously: channel)
                }
            }
    }

    struct Answer {
        var status: UInt
        var body: ByteBuffer
        var keepAlive: Bool
    }

    /// Sends one `GET /` and reads its whole answer.
    private func exchange(_ outbound: NIOAsyncChannelOutboundWriter<HTTPClientRequestPart>,
                          _ responses: inout NIOAsyncChannelInboundStream<HTTPClientResponsePart>.AsyncIterator) async throws -> Answer {
        var head = HTTPRequestHead(version: .http1_1, method: .GET, uri: "/")
        head.headers.add(name: "Host", value: host)
        head.headers.add(name: "User-Agent", value: "curl/8.5.0")
        try await outbound.write(.head(head))
        try await outbound.write(.end(nil))
        var answer: Answer?
        while let part = try await responses.next() {
            switch part {
            case .head(let h): answer = Answer(status: h.status.code, body: ByteBuffer(), keepAlive: h.isKeepAlive)
            case .body(var chunk): answer?.body.writeBuffer(&chunk)
            case .end:
                if let answer { return answer }
            }
        }
        throw ChannelError.eof
    }

    private func record(_ answer: Answer) {
        let body = Data(answer.body.readableBytesView)
        let json = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
        guard answer.status == 200, let version = json?["version"] as? String else {
            return failed("HTTP \(answer.status): \(String(decoding: body.prefix(80), as: UTF8.self))")
        }
        tally.withLock {
            $0.ok += 1
            $0.versions[version, default: 0] += 1
        }
    }

    private func failed(_ what: String) {
        tally.withLock {
            $0.failed += 1
            if $0.failures.count < 10 { $0.failures.append(what) }
        }
    }
}
