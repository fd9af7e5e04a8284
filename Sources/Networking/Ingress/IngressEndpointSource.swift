import KubeModel
import Synchronization

/// One address a Service port's traffic may go to.
public struct IngressEndpoint: Hashable, Sendable, CustomStringConvertible {
    public let ip: String
    public let port: Int
    public init(ip: String, port: Int) {
        self.ip = ip
        self.port = port
    }
    public var description: String { "\(ip):\(port)" }
}

/// Where the Ingress controller finds the endpoints of a Service port.
public protocol IngressEndpointSource: Sendable {
    /// The endpoints requests to `port` of the Service may go to, ready ones only; empty when
    /// the Service, the port or every ready endpoint is missing.
    func endpoints(namespace: String, service: String, port: IntOrString) -> [IngressEndpoint]
}

/// Fixed endpoints, for tests and for a controller run without informers.
public struct StaticEndpoints: IngressEndpointSource {
    public let table: [String: [IngressEndpoint]]
    /// `table` keyed by `namespace/service:port`.
    public init(_ table: [String: [IngressEndpoint]]) { self.table = table }
    public func endpoints(namespace: String, service: String, port: IntOrString) -> [IngressEndpoint] {
        table["\(namespace)/\(service):\(port)"] ?? []
    }
}

/// Round-robin over a backend's endpoints, one counter per backend (nginx's default balancing).
final class RoundRobin: Sendable {
    private let next = Mutex<[String: Int]>([:])

    /// The endpoints in the order to try them: the next one first, then the others.
    func order(_ key: String, _ endpoints: [IngressEndpoint]) -> [IngressEndpoint] {
        guard endpoints.count > 1 else { return endpoints }
        let start = next.withLock { counters in
            let n = counters[key, default: 0]
            counters[key] = (n + 1) % endpoints.count
            return n % endpoints.count
        }
        return Array(endpoints[start...] + endpoints[..<start])
    }
}
