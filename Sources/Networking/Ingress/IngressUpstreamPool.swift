import KubeModel
import NIOCore
import Synchronization

/// Idle kept-alive connections to endpoints, as nginx's upstream keepalive cache: per event loop
/// (nginx: per worker) and endpoint at most `maxIdle` (upstream-keepalive-connections 320), each
/// closed after `maxRequests` requests (upstream-keepalive-requests 10000) or when unused for
/// the upstream's idle timeout (see `IngressUpstream`). A connection is taken and used on its own event loop only.
final class IngressUpstreamPool: Sendable {
    static let maxIdle = 320
    static let maxRequests = 10_000

    struct Key: Hashable {
        let ip: String
        let port: Int
        let loop: ObjectIdentifier
    }

    private let idle = Mutex<[Key: [any Channel]]>([:])

    static func key(_ endpoint: ServiceEndpoint, _ loop: any EventLoop) -> Key { Key(ip: endpoint.ip, port: endpoint.port, loop: ObjectIdentifier(loop)) }

    /// The most recently used idle connection to `endpoint` on `loop`, if any.
    func take(_ endpoint: ServiceEndpoint, on loop: any EventLoop) -> (any Channel)? {
        let key = Self.key(endpoint, loop)
        return idle.withLock { idle -> (any Channel)? in
            while let channel = idle[key]?.popLast() {
                if channel.isActive { return channel }
            }
            return nil
        }
    }

    /// Keeps `channel` for the next request; false when the cache is full (the caller closes it).
    func put(_ channel: any Channel, _ endpoint: ServiceEndpoint) -> Bool {
        let key = Self.key(endpoint, channel.eventLoop)
        return idle.withLock { idle in
            guard idle[key, default: []].count < Self.maxIdle else { return false }
            idle[key, default: []].append(channel)
            return true
        }
    }

    /// Forgets a connection that closed.
    func remove(_ channel: any Channel, _ endpoint: ServiceEndpoint) {
        let key = Self.key(endpoint, channel.eventLoop)
        idle.withLock { idle in
            idle[key]?.removeAll { $0 === channel }
            if idle[key]?.isEmpty == true { idle[key] = nil }
        }
    }

    func closeAll() {
        let all = idle.withLock { idle in
            defer { idle = [:] }
            return idle.values.flatMap { $0 }
        }
        for channel in all { channel.close(promise: nil) }
    }
}
