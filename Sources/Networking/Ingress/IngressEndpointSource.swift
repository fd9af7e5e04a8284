import KubeModel
import Synchronization

/// Where the Ingress controller finds the endpoints of a Service port: the shared
/// `EndpointTracker` in `kplane up`, fixed ones in tests.
public protocol IngressEndpointSource: Sendable {
    /// The endpoints requests to `port` of the Service may go to; empty when the Service, the
    /// port or every ready endpoint is missing.
    func endpoints(of key: ServiceKey, port: ServicePortReference) -> [ServiceEndpoint]
}

extension EndpointTracker: IngressEndpointSource {}

/// Fixed endpoints, for tests.
public struct StaticEndpoints: IngressEndpointSource {
    public let table: [String: [ServiceEndpoint]]
    /// `table` keyed by `namespace/service:port`.
    public init(_ table: [String: [ServiceEndpoint]]) { self.table = table }
    public func endpoints(of key: ServiceKey, port: ServicePortReference) -> [ServiceEndpoint] {
        table["\(key):\(port)"] ?? []
    }
}

/// Round-robin over a backend's endpoints, one counter per backend (nginx's default balancing);
/// the counters are as many as the Services routed to.
final class RoundRobin: Sendable {
    private let next = Mutex<[String: Int]>([:])

    /// The endpoints in the order to try them: the next one first, then the others.
    func order(_ key: String, _ endpoints: [ServiceEndpoint]) -> [ServiceEndpoint] {
        guard endpoints.count > 1 else { return endpoints }
        let start = next.withLock { counters in
            let n = counters[key, default: 0]
            counters[key] = (n + 1) % endpoints.count
            return n % endpoints.count
        }
        return Array(endpoints[start...] + endpoints[..<start])
    }
}
