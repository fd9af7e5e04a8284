import KubeClient
import KubeModel
import Logging
import Synchronization

/// What MetalLB or `minikube tunnel` does for `type: LoadBalancer`: an address from a pool goes
/// into `status.loadBalancer.ingress`, and the proxy answers there.
///
/// The pool is loopback, `127.0.2.1` to `127.0.2.254`: any 127/8 address is this machine's
/// without root or a route, so the address answers from the host (where a load balancer's
/// clients are) whether or not pods have their own network namespaces, and it differs from the
/// ClusterIP as a real load balancer's does, so `kubectl get svc` shows an EXTERNAL-IP of its own.
public struct LoadBalancerAddresses: Sendable {
    public let prefix: String
    public let range: ClosedRange<Int>
    /// Addresses given out that the informer may not show yet (two Services reconciled at once
    /// must not both take the first free one), by `namespace/name`; at most one a Service of the
    /// cache, dropped once the cache shows it or the Service is gone.
    private let given = Given()

    private final class Given: Sendable {
        let byService = Mutex<[String: String]>([:])
    }

    public init(prefix: String = "127.0.2.", range: ClosedRange<Int> = 1...254) {
        self.prefix = prefix
        self.range = range
    }

    public func contains(_ ip: String) -> Bool {
        ip.hasPrefix(prefix) && Int(ip.dropFirst(prefix.count)).map(range.contains) == true
    }

    /// Gives a LoadBalancer Service without an address the first free one, and takes the pool's
    /// address back from a Service that is no longer a LoadBalancer. True when it wrote the
    /// status (the informer then brings the Service back).
    func reconcileStatus(of service: Service, among all: [Service], client: APIClient, logger: Logger) async throws -> Bool {
        let ingress = service.status.loadBalancer.ingress
        let ours = ingress.contains { $0.ip.map(contains) == true }
        let write: JSONValue
        if service.spec.type == "LoadBalancer" {
            guard ingress.isEmpty else { return false }
            let key = service.metadata.namespace + "/" + service.metadata.name
            let shown = Set(all.flatMap { $0.status.loadBalancer.ingress.compactMap(\.ip) })
            let pick: String? = given.byService.withLock { given in
                let present = Dictionary(all.map { ($0.metadata.namespace + "/" + $0.metadata.name, $0) }, uniquingKeysWith: { a, _ in a })
                given = given.filter { key, ip in
                    guard let s = present[key] else { return false }
                    return !s.status.loadBalancer.ingress.contains { $0.ip == ip }
                }
                let used = shown.union(given.filter { $0.key != key }.values)
                guard let n = range.first(where: { !used.contains(prefix + String($0)) }) else { return nil }
                given[key] = prefix + String(n)
                return prefix + String(n)
            }
            guard let pick else {
                logger.error("No LoadBalancer address left", metadata: ["service": "\(key)", "pool": "\(prefix)\(range)"])
                return false
            }
            write = ["ingress": [["ip": .string(pick)]]]
        } else {
            guard ours else { return false }
            write = .emptyObject
        }
        var object = service.json
        object.set(["status", "loadBalancer"], write)
        do {
            _ = try await client.update(EndpointTracker.services, namespace: service.metadata.namespace, object, subresource: "status")
        } catch {
            _ = given.byService.withLock { $0.removeValue(forKey: service.metadata.namespace + "/" + service.metadata.name) }
            throw error
        }
        logger.info("LoadBalancer status set", metadata: ["service": "\(service.metadata.namespace)/\(service.metadata.name)", "loadBalancer": "\(write)"])
        return true
    }
}
