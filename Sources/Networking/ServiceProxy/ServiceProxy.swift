import Foundation
import KubeClient
import KubeModel
import Logging
import NIOCore
import NIOPosix
import Synchronization

/// kube-proxy's job over SwiftNIO, copying bytes without reading them: each Service port
/// answers on its ClusterIP, on the node addresses at its NodePort, and on its LoadBalancer
/// address, and each new connection goes to one of the Service's ready endpoints (round-robin,
/// or `sessionAffinity: ClientIP`). Endpoint changes apply to the next connection at once;
/// connections already open stay. Headless and ExternalName Services get no proxying.
public final class ServiceProxy: Controller {
    public let name = "service-proxy"
    public let queue: WorkQueue
    public let logger: Logger
    let tracker: EndpointTracker
    let nodes: Informer
    let client: APIClient
    let clock: any WallClock
    let group: any EventLoopGroup
    let loadBalancers: LoadBalancerAddresses
    /// Holds connections to a Service scaled to zero while it wakes (nil: they are reset).
    let activator: Activator?

    /// A socket of one Service port.
    struct ListenerKey: Hashable, CustomStringConvertible {
        let ip: String
        let port: Int
        let proto: String
        var description: String { "\(ip):\(port)/\(proto)" }
    }

    /// One Service port's balancer, shared by its ClusterIP, NodePort and LoadBalancer sockets.
    struct PortKey: Hashable {
        let port: Int
        let proto: String
    }

    private struct Proxied {
        var balancers: [PortKey: Balancer] = [:]
        /// Where each wanted socket really listens (a fallback port when a low one is refused),
        /// nil while it could not be bound.
        var listeners: [ListenerKey: (channel: any Channel, answersOn: String)] = [:]
    }

    private let state = Mutex<[ServiceKey: Proxied]>([:])
    private let warnedPrivileged = Mutex(false)

    public init(client: APIClient, clock: any WallClock, tracker: EndpointTracker, nodes: Informer,
                group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
                loadBalancers: LoadBalancerAddresses = LoadBalancerAddresses(), activator: Activator? = nil,
                logger: Logger = Logger(label: "service-proxy")) {
        self.activator = activator
        self.client = client
        self.clock = clock
        self.tracker = tracker
        self.nodes = nodes
        self.group = group
        self.loadBalancers = loadBalancers
        self.logger = logger
        let queue = WorkQueue(clock: clock)
        self.queue = queue
        tracker.onChange { queue.add($0.description) }
        // A node coming or going adds or removes NodePort addresses.
        let services = tracker.services
        let nodeChanged: @Sendable (JSONValue) -> Void = { _ in
            for s in services.list() where !(Service(s).spec.ports.compactMap(\.nodePort).isEmpty) { queue.add(Informer.key(s)) }
        }
        nodes.addHandler(Informer.Handler(onAdd: nodeChanged, onDelete: nodeChanged))
    }

    /// Runs until cancelled, then closes every socket.
    public func serve() async {
        await withTaskCancellationHandler {
            await run(workers: 2)
        } onCancel: {
            queue.shutDown()
        }
        let all = state.withLock { s -> [any Channel] in
            defer { s = [:] }
            return s.values.flatMap { $0.listeners.values.map(\.channel) }
        }
        for channel in all { try? await channel.close() }
    }

    public func reconcile(_ keyString: String) async throws {
        let (ns, name) = Informer.split(keyString)
        let key = ServiceKey(namespace: ns ?? "", name: name)
        let service = tracker.service(key)
        if let service, try await loadBalancers.reconcileStatus(of: service, among: tracker.services.list().map(Service.init), client: client, logger: logger) {
            return  // the status write comes back as an update
        }
        let wanted = service.map(desiredListeners) ?? [:]

        // Balancers first, so a socket opened below already has its endpoints.
        let balancers = state.withLock { s -> [PortKey: Balancer] in
            var proxied = s[key] ?? Proxied()
            proxied.balancers = proxied.balancers.filter { k, _ in wanted.values.contains(k) }
            for port in Set(wanted.values) where proxied.balancers[port] == nil { proxied.balancers[port] = Balancer() }
            s[key] = proxied
            return proxied.balancers
        }
        if let service {
            let timeout: TimeInterval? = service.spec.sessionAffinity == "ClientIP" ? TimeInterval(service.spec.sessionAffinityTimeoutSeconds) : nil
            for (port, balancer) in balancers {
                let endpoints = tracker.endpoints(of: key, port: .number(port.port))
                if endpoints != balancer.endpoints {
                    logger.debug("Endpoints changed", metadata: ["service": "\(key)", "port": "\(port.port)", "endpoints": "\(endpoints.map(\.description))"])
                }
                balancer.update(endpoints: endpoints, affinityTimeout: timeout)
            }
        }

        // Sockets: one reconcile of a key at a time (the queue's promise), so what is read here
        // is still true after the awaits below.
        let current = state.withLock { $0[key]?.listeners ?? [:] }
        for (listener, open) in current where wanted[listener] == nil {
            try? await open.channel.close()
            state.withLock { _ = $0[key]?.listeners.removeValue(forKey: listener) }
            logger.info("Stopped listening", metadata: ["service": "\(key)", "address": "\(open.answersOn)"])
        }
        var failures: [String] = []
        for (listener, port) in wanted where current[listener] == nil {
            guard let balancer = balancers[port] else { continue }
            do {
                let (channel, answersOn) = try await open(listener, balancer: balancer, service: key, servicePort: port.port)
                state.withLock { $0[key, default: Proxied()].listeners[listener] = (channel, answersOn) }
            } catch {
                failures.append("\(listener): \(error)")
            }
        }
        if service == nil { state.withLock { $0[key] = nil } }
        if !failures.isEmpty { throw ListenFailed(service: key, failures: failures) }
    }

    /// The sockets a Service wants, each with the Service port it serves.
    func desiredListeners(_ service: Service) -> [ListenerKey: PortKey] {
        let spec = service.spec
        guard spec.type != "ExternalName", let clusterIP = spec.clusterIP, !clusterIP.isEmpty, clusterIP != "None" else { return [:] }
        let nodeAddresses = ["127.0.0.1"] + nodes.list().flatMap { Node($0).status.addresses }
            .filter { $0.type == "InternalIP" && $0.address.hasPrefix("127.") && $0.address != "127.0.0.1" }.map(\.address).sorted()
        var out: [ListenerKey: PortKey] = [:]
        for p in spec.ports where p.protocol == "TCP" || p.protocol == "UDP" {
            let port = PortKey(port: Int(p.port), proto: p.protocol)
            for ip in (spec.clusterIPs ?? [clusterIP]) where !ip.contains(":") { out[ListenerKey(ip: ip, port: port.port, proto: p.protocol)] = port }
            if spec.type == "NodePort" || spec.type == "LoadBalancer", let nodePort = p.nodePort, nodePort > 0 {
                for ip in nodeAddresses { out[ListenerKey(ip: ip, port: Int(nodePort), proto: p.protocol)] = port }
            }
            if spec.type == "LoadBalancer" {
                for ip in service.status.loadBalancer.ingress.compactMap(\.ip) { out[ListenerKey(ip: ip, port: port.port, proto: p.protocol)] = port }
            }
        }
        return out
    }

    /// Binds the socket; a port below 1024 that needs root this process lacks is served at
    /// `port + 8000` instead (80 on 8080), which the log says.
    private func open(_ listener: ListenerKey, balancer: Balancer, service: ServiceKey, servicePort: Int) async throws -> (any Channel, String) {
        let now: @Sendable () -> Date = { [clock] in clock.now() }
        let activation = activator.map { TCPProxy.Activation(activator: $0, service: service, port: .number(servicePort)) }
        let (group, logger) = (self.group, self.logger)
        func listen(_ address: SocketAddress) async throws -> any Channel {
            if listener.proto == "UDP" { return try await UDPProxy.listen(on: address, group: group, balancer: balancer, now: now, logger: logger) }
            return try await TCPProxy.listen(on: address, group: group, balancer: balancer, now: now, logger: logger, activation: activation)
        }
        do {
            let channel = try await listen(try SocketAddress(ipAddress: listener.ip, port: listener.port))
            logger.info("Listening", metadata: ["service": "\(service)", "address": "\(listener)"])
            return (channel, "\(listener.ip):\(listener.port)")
        } catch let error as IOError where error.errnoCode == EACCES && listener.port < 1024 {
            if warnedPrivileged.withLock({ let first = !$0; $0 = true; return first }) {
                logger.warning("Binding ports below 1024 needs root (or CAP_NET_BIND_SERVICE): Service ports below 1024 answer on the port plus \(Self.privilegedPortOffset) instead")
            }
            let fallback = listener.port + Self.privilegedPortOffset
            let channel = try await listen(try SocketAddress(ipAddress: listener.ip, port: fallback))
            logger.warning("Service answers on another port", metadata: ["service": "\(service)", "address": "\(listener)", "answersOn": "\(listener.ip):\(fallback)"])
            return (channel, "\(listener.ip):\(fallback)")
        }
    }

    /// Where a port below 1024 answers when this process may not bind it.
    public static let privilegedPortOffset = SimulatedPodAddress.privilegedPortOffset

    /// Where a Service's sockets answer now (`ip:port`), for logs and tests.
    public func addresses(of key: ServiceKey) -> [String] {
        state.withLock { ($0[key]?.listeners.values.map(\.answersOn) ?? []).sorted() }
    }

    struct ListenFailed: Error, CustomStringConvertible {
        let service: ServiceKey
        let failures: [String]
        var description: String { "could not listen for Service \(service): \(failures.joined(separator: "; "))" }
    }
}
