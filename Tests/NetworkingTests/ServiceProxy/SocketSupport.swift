import Foundation
import NIOCore
import NIOPosix
import Synchronization

/// A backend standing in for a pod: answers every connection with its name and closes.
final class NameServer: Sendable {
    let name: String
    let channel: any Channel

    init(name: String, ip: String, port: Int) async throws {
        self.name = name
        let reply = name
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { ch in
                ch.eventLoop.makeCompletedFuture { try ch.pipeline.syncOperations.addHandler(Answer(reply: reply)) }
            }
            .bind(host: ip, port: port).get()
    }

    var port: Int { channel.localAddress?.port ?? 0 }

    func close() async { try? await channel.close() }

    private final class Answer: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        let reply: String
        init(reply: String) { self.reply = reply }
        func channelActive(context: ChannelHandlerContext) {
            context.writeAndFlush(NIOAny(context.channel.allocator.buffer(string: reply)), promise: nil)
            context.close(promise: nil)
        }
    }
}

/// What a client connecting to an address gets: the bytes until the server closed, or the
/// error that ended the connection (a reset, a refusal).
enum Dialled: Hashable {
    case answer(String)
    case failed(String)

    static func dial(_ ip: String, _ port: Int, send: String? = nil) async -> Dialled {
        do {
            let collected = Collector()
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.seconds(5))
                .channelInitializer { ch in ch.eventLoop.makeCompletedFuture { try ch.pipeline.syncOperations.addHandler(collected.handler()) } }
                .connect(host: ip, port: port).get()
            if let send { try await channel.writeAndFlush(channel.allocator.buffer(string: send)) }
            try await channel.closeFuture.get()
            return collected.result
        } catch {
            return .failed("\(error)")
        }
    }

    var isReset: Bool {
        if case .failed(let e) = self { return e.contains("reset") || e.contains("ECONNRESET") || e.contains("errno: 104") }
        return false
    }
}

/// Bytes read and how the read ended, shared with the handler on the event loop.
final class Collector: Sendable {
    private let state = Mutex<(bytes: String, error: String?)>(("", nil))

    var result: Dialled {
        state.withLock { s in s.error.map { .failed($0) } ?? .answer(s.bytes) }
    }

    func handler() -> Handler { Handler(collector: self) }

    final class Handler: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        let collector: Collector
        init(collector: Collector) { self.collector = collector }
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let text = String(buffer: unwrapInboundIn(data))
            collector.state.withLock { $0.bytes += text }
        }
        func errorCaught(context: ChannelHandlerContext, error: Error) {
            collector.state.withLock { $0.error = "\(error)" }
            context.close(promise: nil)
        }
    }
}

/// A UDP backend: answers each datagram with its name and what it got.
final class UDPNameServer: Sendable {
    let channel: any Channel

    init(name: String, ip: String, port: Int) async throws {
        channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { ch in ch.eventLoop.makeCompletedFuture { try ch.pipeline.syncOperations.addHandler(Echo(name: name)) } }
            .bind(host: ip, port: port).get()
    }

    var port: Int { channel.localAddress?.port ?? 0 }
    func close() async { try? await channel.close() }

    private final class Echo: ChannelInboundHandler {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        typealias OutboundOut = AddressedEnvelope<ByteBuffer>
        let name: String
        init(name: String) { self.name = name }
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let e = unwrapInboundIn(data)
            let reply = context.channel.allocator.buffer(string: name + ":" + String(buffer: e.data))
            context.writeAndFlush(wrapOutboundOut(AddressedEnvelope(remoteAddress: e.remoteAddress, data: reply)), promise: nil)
        }
    }

    /// Sends `text` from a fresh socket and returns the first answer, nil after `timeout`.
    static func ask(_ ip: String, _ port: Int, _ text: String, timeout: TimeAmount = .milliseconds(500), from clientPort: Int = 0) async throws -> String? {
        let answers = AsyncStream.makeStream(of: String.self)
        let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { ch in ch.eventLoop.makeCompletedFuture { try ch.pipeline.syncOperations.addHandler(Listen(answers.continuation)) } }
            .bind(host: "127.0.0.1", port: clientPort).get()
        defer { channel.close(promise: nil) }
        try await channel.writeAndFlush(AddressedEnvelope(remoteAddress: try SocketAddress(ipAddress: ip, port: port), data: channel.allocator.buffer(string: text)))
        return await withTaskGroup(of: String?.self) { g in
            g.addTask { for await a in answers.stream { return a }; return nil }
            g.addTask { try? await Task.sleep(for: .milliseconds(timeout.nanoseconds / 1_000_000)); answers.continuation.finish(); return nil }
            let first = await g.next() ?? nil
            answers.continuation.finish()
            g.cancelAll()
            return first
        }
    }

    private final class Listen: ChannelInboundHandler {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        let continuation: AsyncStream<String>.Continuation
        init(_ c: AsyncStream<String>.Continuation) { continuation = c }
        func channelRead(context: ChannelHandlerContext, data: NIOAny) { continuation.yield(String(buffer: unwrapInboundIn(data).data)) }
    }
}
