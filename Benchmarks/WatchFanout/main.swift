import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

// Opens N watches on a kplane API server, then makes writes and measures how long each write
// takes to reach every watcher: from just before the write request to the arrival of the event
// at the last watcher. A SwiftNIO client, so that 10,000 watchers cost the client little next to
// the server (a Python client spends most of the time itself).
// Usage: WatchFanout BASE_URL [WATCHERS] [WRITES]

let args = CommandLine.arguments
guard args.count > 1, let url = URL(string: args[1]), let host = url.host, let port = url.port else {
    print("usage: WatchFanout BASE_URL [WATCHERS] [WRITES]")
    exit(2)
}
let watchers = args.count > 2 ? Int(args[2]) ?? 1000 : 1000
let writes = args.count > 3 ? Int(args[3]) ?? 20 : 20
let namespace = "fanout"

/// Arrivals per write: how many watchers have it, and when the last one got it.
final class Arrivals: Sendable {
    private let state = Mutex<[Int: (count: Int, last: UInt64)]>([:])
    let ready = Atomic<Int>(0)

    func record(_ write: Int) {
        let now = DispatchTime.now().uptimeNanoseconds
        state.withLock { s in
            var e = s[write] ?? (0, 0)
            e.count += 1
            e.last = now
            s[write] = e
        }
    }

    func get(_ write: Int) -> (count: Int, last: UInt64) { state.withLock { $0[write] ?? (0, 0) } }
}

/// One watch connection: sends the request, then scans what arrives for `"name":"w-<i>"`.
final class WatchHandler: ChannelInboundHandler, @unchecked Sendable {
    // Safety: used only on its channel's event loop.
    typealias InboundIn = ByteBuffer
    let request: String
    let arrivals: Arrivals
    var carry: [UInt8] = []
    var headerSeen = false
    static let marker = Array(#""name":"w-"#.utf8)

    init(request: String, arrivals: Arrivals) {
        self.request = request
        self.arrivals = arrivals
    }

    func channelActive(context: ChannelHandlerContext) {
        context.writeAndFlush(NIOAny(context.channel.allocator.buffer(string: request)), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        if !headerSeen, buffer.readableBytes > 0 {
            headerSeen = true
            arrivals.ready.add(1, ordering: .relaxed)
        }
        // Scans in place; only a marker cut by the end of a read is carried to the next one.
        buffer.withUnsafeReadableBytes { fresh in
            if carry.isEmpty { return scan(fresh) }
            carry.append(contentsOf: fresh)
            let bytes = carry
            carry = []
            bytes.withUnsafeBytes { scan($0) }
        }
    }

    private func scan(_ bytes: UnsafeRawBufferPointer) {
        let m = Self.marker
        var i = 0
        var consumed = 0
        while i + m.count <= bytes.count {
            guard bytes[i] == m[0], bytes[i + 1] == m[1], zip(m.indices, m).allSatisfy({ bytes[i + $0] == $1 }) else {
                i += 1
                continue
            }
            var j = i + m.count
            var n = 0
            while j < bytes.count, bytes[j] >= 48, bytes[j] <= 57 {
                n = n * 10 + Int(bytes[j] - 48)
                j += 1
            }
            guard j < bytes.count else { break }  // the number may continue in the next read
            arrivals.record(n)
            i = j
            consumed = j
        }
        let keepFrom = max(consumed, bytes.count - m.count - 20)
        if keepFrom < bytes.count { carry = Array(bytes[keepFrom...]) }
    }
}

@MainActor func run() async throws {
    let http = HTTPClient(eventLoopGroupProvider: .singleton)
    func call(_ method: HTTPMethod, _ path: String, _ body: String?) async throws -> String {
        var r = HTTPClientRequest(url: "http://\(host):\(port)\(path)")
        r.method = method
        r.headers.add(name: "Content-Type", value: "application/json")
        if let body { r.body = .bytes(ByteBuffer(string: body)) }
        let response = try await http.execute(r, timeout: .seconds(30))
        return String(buffer: try await response.body.collect(upTo: 1 << 24))
    }
    _ = try? await call(.POST, "/api/v1/namespaces", #"{"metadata":{"name":"\#(namespace)"}}"#)
    let list = try await call(.GET, "/api/v1/namespaces/\(namespace)/configmaps", nil)
    guard let rvRange = list.range(of: #""resourceVersion":""#),
        let end = list[rvRange.upperBound...].firstIndex(of: "\"")
    else { throw NSError(domain: "WatchFanout", code: 1) }
    let rv = String(list[rvRange.upperBound..<end])

    let arrivals = Arrivals()
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    let request = "GET /api/v1/namespaces/\(namespace)/configmaps?watch=true&resourceVersion=\(rv) HTTP/1.1\r\nHost: x\r\n\r\n"
    var channels: [Channel] = []
    for _ in 0..<watchers {
        let c = try await ClientBootstrap(group: group)
            .channelInitializer { ch in ch.pipeline.addHandler(WatchHandler(request: request, arrivals: arrivals)) }
            .connect(host: host, port: port).get()
        channels.append(c)
    }
    while arrivals.ready.load(ordering: .relaxed) < watchers { try await Task.sleep(for: .milliseconds(10)) }
    try await Task.sleep(for: .milliseconds(500))

    var latencies: [Double] = []
    for i in 0..<writes {
        let start = DispatchTime.now().uptimeNanoseconds
        _ = try await call(.POST, "/api/v1/namespaces/\(namespace)/configmaps", #"{"metadata":{"name":"w-\#(i)"},"data":{"i":"\#(i)"}}"#)
        let deadline = start + 10_000_000_000
        while arrivals.get(i).count < watchers && DispatchTime.now().uptimeNanoseconds < deadline {
            try await Task.sleep(for: .microseconds(500))
        }
        let got = arrivals.get(i)
        latencies.append(got.count == watchers ? Double(got.last - start) / 1_000_000 : .infinity)
        try await Task.sleep(for: .milliseconds(50))
    }
    for c in channels { try? await c.close() }
    try await group.shutdownGracefully()
    try await http.shutdown()
    latencies.sort()
    let p50 = latencies[latencies.count / 2]
    let p99 = latencies[min(latencies.count - 1, Int(Double(latencies.count) * 0.99))]
    print(String(format: "watch fan-out: %d watchers, %d writes: last watcher reached after p50 %.1f ms, p99 %.1f ms, max %.1f ms",
                 watchers, writes, p50, p99, latencies.last ?? 0))
}

try await run()
