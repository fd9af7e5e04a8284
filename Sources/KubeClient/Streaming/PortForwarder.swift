import Foundation
import NIOCore
import NIOPosix

/// A local port and the pod's port it forwards to (`0` local: any free port).
public struct ForwardedPort: Sendable, Equatable {
    public var local: UInt16
    public let remote: UInt16
    public init(local: UInt16, remote: UInt16) {
        self.local = local
        self.remote = remote
    }
}

/// An address to listen on: `localhost` is both 127.0.0.1 and ::1, and either is enough
/// ("all" fails only when both do); an address given by number must bind ("any").
public struct ListenAddress: Sendable, Equatable {
    public let address: String
    public let mustBind: Bool
}

/// client-go's PortForwarder: listens on the local ports, and forwards each connection to the
/// pod through one upgraded connection to `pods/NAME/portforward`. Returns nothing: it runs
/// until that connection is lost (thrown as kubectl's `lost connection to pod`) or the task is
/// cancelled.
public enum PortForwarder {
    /// Where the forwarder reports: kubectl's stdout lines, and the errors it logs.
    public struct Output: Sendable {
        public let out: @Sendable (String) -> Void
        public let error: @Sendable (String) -> Void
        public init(out: @escaping @Sendable (String) -> Void, error: @escaping @Sendable (String) -> Void) {
            self.out = out
            self.error = error
        }
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// `[LOCAL:]REMOTE` words (parsePorts): `:5000` is any local port, 0 remote is refused.
    public static func parsePorts(_ words: [String]) throws -> [ForwardedPort] {
        try words.map { word in
            let parts = word.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard parts.count <= 2 else { throw Failure(description: "invalid port format '\(word)'") }
            let localText = parts.count == 2 ? (parts[0].isEmpty ? "0" : parts[0]) : parts[0]
            let remoteText = parts.count == 2 ? parts[1] : parts[0]
            guard let local = UInt16(localText) else { throw Failure(description: "error parsing local port '\(localText)': \(goParseError(localText))") }
            guard let remote = UInt16(remoteText) else { throw Failure(description: "error parsing remote port '\(remoteText)': \(goParseError(remoteText))") }
            guard remote > 0 else { throw Failure(description: "remote port must be > 0") }
            return ForwardedPort(local: local, remote: remote)
        }
    }

    /// strconv.ParseUint's error for a 16-bit port.
    static func goParseError(_ text: String) -> String {
        let digits = !text.isEmpty && text.allSatisfy { $0.isASCII && $0.isNumber }
        return "strconv.ParseUint: parsing \"\(text)\": \(digits ? "value out of range" : "invalid syntax")"
    }

    /// `--address` values (parseAddresses): sorted, `localhost` expanded.
    public static func parseAddresses(_ words: [String]) throws -> [ListenAddress] {
        var parsed: [String: ListenAddress] = [:]
        for word in words {
            if word == "localhost" {
                parsed["127.0.0.1"] = parsed["127.0.0.1"] ?? ListenAddress(address: "127.0.0.1", mustBind: false)
                parsed["::1"] = parsed["::1"] ?? ListenAddress(address: "::1", mustBind: false)
            } else if (try? SocketAddress(ipAddress: word, port: 0)) != nil {
                parsed[word] = ListenAddress(address: word, mustBind: true)
            } else {
                throw Failure(description: "\(word) is not a valid IP")
            }
        }
        return parsed.values.sorted { $0.address < $1.address }
    }

    public static func run(_ config: RestConfig, userAgent: String, path: String, ports: [ForwardedPort], addresses: [ListenAddress],
                           output: Output) async throws {
        try await PortForwardDialer.dial(config, userAgent: userAgent, path: path) { (connection, transport) async throws -> Void in
            let session = try PortForwardSession(writer: connection.writer, transport: transport, log: output)
            var listeners: [(NIOAsyncChannel<NIOAsyncChannel<ByteBuffer, ByteBuffer>, Never>, ForwardedPort)] = []
            var requested = ports
            for i in requested.indices {
                do {
                    listeners += try await listen(&requested[i], addresses, output)
                } catch {
                    output.error("Unable to listen on port \(requested[i].local): \(error)")
                }
            }
            guard !listeners.isEmpty else {
                throw Failure(description: "unable to listen on any of the requested ports: [\(requested.map { "{\($0.local) \($0.remote)}" }.joined(separator: " "))]")
            }
            await withThrowingTaskGroup(of: Void.self) { group in
                for (listener, port) in listeners {
                    group.addTask {
                        try await listener.executeThenClose { accepted in
                            try await withThrowingDiscardingTaskGroup { connections in
                                for try await local in accepted { connections.addTask { await session.handle(local, port) } }
                            }
                        }
                    }
                }
                await session.read(connection)
                group.cancelAll()
            }
            throw Failure(description: "lost connection to pod")
        }
    }

    /// Binds `port` on every address (listenOnPort); a port 0 becomes the one the first bind got.
    static func listen(_ port: inout ForwardedPort, _ addresses: [ListenAddress], _ output: Output) async throws
        -> [(NIOAsyncChannel<NIOAsyncChannel<ByteBuffer, ByteBuffer>, Never>, ForwardedPort)]
    {
        var bound: [(NIOAsyncChannel<NIOAsyncChannel<ByteBuffer, ByteBuffer>, Never>, ForwardedPort)] = []
        var errors: [String] = []
        var optionalBound = 0, optionalFailed = 0
        for address in addresses {
            let family = address.address.contains(":") ? "tcp6" : "tcp4"
            let hostPort = address.address.contains(":") ? "[\(address.address)]:\(port.local)" : "\(address.address):\(port.local)"
            do {
                let listener = try await ServerBootstrap(group: clientEventLoops)
                    .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                    .childChannelOption(.allowRemoteHalfClosure, value: true)
                    .bind(host: address.address, port: Int(port.local)) { child in
                        child.eventLoop.makeCompletedFuture {
                            try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: child)
                        }
                    }
                if port.local == 0, let actual = listener.channel.localAddress?.port { port.local = UInt16(actual) }
                let shown = address.address.contains(":") ? "[\(address.address)]" : address.address
                output.out("Forwarding from \(shown):\(port.local) -> \(port.remote)\n")
                bound.append((listener, port))
                if !address.mustBind { optionalBound += 1 }
            } catch {
                errors.append("unable to create listener: Error listen \(family) \(hostPort): bind: \(bindError(error))")
                if address.mustBind { optionalFailed = .max } else { optionalFailed += 1 }
            }
        }
        if optionalFailed == .max || (optionalBound == 0 && optionalFailed > 0) {
            for (listener, _) in bound { listener.channel.close(promise: nil) }
            throw Failure(description: "Listeners failed to create with the following errors: [\(errors.joined(separator: " "))]")
        }
        return bound
    }

    static func bindError(_ error: any Error) -> String {
        let text = "\(error)"
        if text.contains("Address already in use") || text.contains("errno: 98") { return "address already in use" }
        if text.contains("Cannot assign requested address") || text.contains("errno: 99") { return "cannot assign requested address" }
        if text.contains("Permission denied") || text.contains("errno: 13") { return "permission denied" }
        return text
    }
}
