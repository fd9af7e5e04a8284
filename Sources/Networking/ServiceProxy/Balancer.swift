import Foundation
import Synchronization

/// Spreads new connections to one Service port over its endpoints, as kube-proxy's rules do:
/// round-robin (kube-proxy's iptables rules pick at random with equal odds; the IPVS mode's
/// default scheduler is `rr`), or with `sessionAffinity: ClientIP` the endpoint a client was
/// last sent to while it is still listed and the client came back within the timeout (the
/// `recent` match of kube-proxy's iptables rules, refreshed on each connection).
final class Balancer: Sendable {
    /// At most this many clients are remembered for affinity; past it the oldest go first.
    static let affinityLimit = 10_000

    private struct State {
        var endpoints: [ServiceEndpoint] = []
        var listed: Set<ServiceEndpoint> = []
        var next = 0
        var affinityTimeout: TimeInterval?
        var affinity: [String: (endpoint: ServiceEndpoint, lastUsed: Date)] = [:]
    }

    private let state = Mutex(State())

    init() {}

    /// The endpoints to choose from now and the affinity timeout (nil: no affinity). Connections
    /// already open are not touched; affinity to an endpoint no longer listed is forgotten.
    func update(endpoints: [ServiceEndpoint], affinityTimeout: TimeInterval?) {
        state.withLock { s in
            s.endpoints = endpoints
            s.listed = Set(endpoints)
            if s.next >= endpoints.count { s.next = 0 }
            s.affinityTimeout = affinityTimeout
            if affinityTimeout == nil { s.affinity = [:] }
            let listed = Set(endpoints)
            s.affinity = s.affinity.filter { listed.contains($0.value.endpoint) }
        }
    }

    var endpoints: [ServiceEndpoint] { state.withLock { $0.endpoints } }

    /// Whether traffic may still go to `endpoint` (it is listed now).
    func lists(_ endpoint: ServiceEndpoint) -> Bool { state.withLock { $0.listed.contains(endpoint) } }
    var affinityCount: Int { state.withLock { $0.affinity.count } }

    /// The endpoint for a new connection from `client` (its IP), nil when there is none.
    func pick(client: String, now: Date) -> ServiceEndpoint? {
        state.withLock { s in
            guard !s.endpoints.isEmpty else { return nil }
            if let timeout = s.affinityTimeout, let known = s.affinity[client], now.timeIntervalSince(known.lastUsed) < timeout {
                s.affinity[client] = (known.endpoint, now)
                return known.endpoint
            }
            let chosen = s.endpoints[s.next % s.endpoints.count]
            s.next = (s.next + 1) % s.endpoints.count
            if let timeout = s.affinityTimeout {
                if s.affinity.count >= Self.affinityLimit { Self.reap(&s.affinity, now: now, timeout: timeout) }
                s.affinity[client] = (chosen, now)
            }
            return chosen
        }
    }

    /// Forgets expired clients, then the least recently seen ones until there is room.
    private static func reap(_ affinity: inout [String: (endpoint: ServiceEndpoint, lastUsed: Date)], now: Date, timeout: TimeInterval) {
        affinity = affinity.filter { now.timeIntervalSince($0.value.lastUsed) < timeout }
        guard affinity.count >= affinityLimit else { return }
        let oldest = affinity.sorted { $0.value.lastUsed < $1.value.lastUsed }.prefix(affinity.count - affinityLimit + 1)
        for (client, _) in oldest { affinity[client] = nil }
    }
}
