import Foundation
import KubeClient
import KubeModel
import Logging
import Synchronization

/// N simulated nodes in one agent: registers them (Ready), renews their Leases, runs their
/// kubelet, and powers nodes off and on when asked (the `kplane.dev/power` annotation that
/// `kplane node stop|start` sets). Cheap enough for thousands of nodes, since no pod runs
/// anything.
public final class SimulatedFleet: Sendable {
    /// Set to "off" on a Node to stop its machine; removing it (or "on") boots it again.
    public static let powerAnnotation = "kplane.dev/power"

    public let config: FleetConfig
    let client: APIClient
    let clock: any WallClock
    public let pods: Informer
    public let nodes: Informer
    public let kubelet: SimulatedKubelet
    public let members: FleetMembers
    let logger: Logger

    /// `logger` is the node agent's (labelled `node-agent`); its kubelet logs as `kubelet`.
    public init(client api: APIClient, clock: any WallClock, config: FleetConfig, pods: Informer? = nil, nodes: Informer? = nil,
                logger: Logger = Logger(label: "node-agent"), kubeletLogger: Logger = Logger(label: "kubelet")) {
        let client = api.identified(as: UserAgent.kubelet)
        self.logger = logger
        self.client = client
        self.clock = clock
        self.config = config
        self.pods = pods ?? Informer(client: client, resource: .pods)
        self.nodes = nodes ?? Informer(client: client, resource: .nodes)
        members = FleetMembers(config)
        kubelet = SimulatedKubelet(client: client, clock: clock, pods: self.pods, config: config, members: members, logger: kubeletLogger)
        self.nodes.addHandler(Informer.Handler(
            onAdd: { [weak self] in self?.observe($0) },
            onUpdate: { [weak self] in self?.observe($1) }))
    }

    /// Creates the nodes that do not exist yet, marks every node Ready and takes its Lease.
    public func register() async throws {
        let now = clock.now()
        try await forEachNode(config.nodeNames) { [self] name in
            guard let m = members.member(name) else { return }
            let (i, group) = (m.index, m.group)
            var node: JSONValue
            do {
                node = try await client.create(.nodes, namespace: nil, NodeObject.make(name: name, index: i, group: group, config: config))
            } catch let e as APIStatusError where e.code == 409 {
                node = try await client.get(.nodes, namespace: nil, name: name)
            }
            if node.metadata.annotations[Self.powerAnnotation] == "off" {
                members.set(name, on: false)
                return
            }
            try await postStatus(name, node)
            try await renewLease(name, now: now)
            logger.debug("Registered node", metadata: ["node": "\(name)"])
        }
        logger.info("Registered simulated nodes", metadata: ["nodes": "\(config.nodeNames.count)"])
    }

    /// Runs `body` for every node, a bounded number at a time.
    func forEachNode(_ names: [String], _ body: @escaping @Sendable (String) async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            var pending = names[...]
            for _ in 0..<min(32, names.count) {
                if let n = pending.popFirst() { group.addTask { try await body(n) } }
            }
            while try await group.next() != nil {
                if let n = pending.popFirst() { group.addTask { try await body(n) } }
            }
        }
    }

    /// The kubelet's status report: capacity, addresses and Ready conditions.
    /// Posts the node's status; a conflict (the node controller tainting a new node meanwhile)
    /// reads the node again and retries, as the kubelet's updateNodeStatus does
    /// (`nodeStatusUpdateRetry`, 5).
    func postStatus(_ name: String, _ node: JSONValue) async throws {
        guard let m = members.member(name) else { return }
        var node = node
        for attempt in 1...Self.nodeStatusUpdateRetry {
            node["status"] = NodeObject.carryingOver(NodeObject.status(name: name, index: m.index, group: m.group, config: config, now: clock.now()), from: node)
            do {
                _ = try await client.update(.nodes, namespace: nil, node, subresource: "status")
                return
            } catch let e as APIStatusError where e.code == 409 && attempt < Self.nodeStatusUpdateRetry {
                node = try await client.get(.nodes, namespace: nil, name: name)
            }
        }
    }

    static let nodeStatusUpdateRetry = 5

    func renewLease(_ name: String, now: Date) async throws {
        try await NodeObject.renewLease(client: client, name: name, durationSeconds: config.leaseDurationSeconds, now: now)
    }

    /// Renews the Lease of every running node each `leaseRenewSeconds`, until cancelled.
    func renewLeases() async {
        while !Task.isCancelled {
            // The sleep throws only when cancelled, which ends the renewals.
            guard (try? await clock.sleep(for: config.leaseRenewSeconds)) != nil else { return }
            let now = clock.now()
            // Each renewal catches its own failure (the next round retries), so this never throws.
            try? await forEachNode(members.running) { [self] name in
                do { try await renewLease(name, now: now) } catch {
                    logger.error("Failed to renew lease", metadata: ["node": "\(name)", "err": "\(error)"])
                }
                // A Lease that lapsed (the machine slept, the API server was away) got the node
                // marked Unknown; the kubelet's next status report, which differs, sets it Ready.
                guard let node = nodes.get(name), !NodeObject.isReady(node) else { return }
                do { try await postStatus(name, node) } catch {
                    logger.error("Failed to post node status", metadata: ["node": "\(name)", "err": "\(error)"])
                }
            }
        }
    }

    /// Adopts Nodes annotated `kplane.dev/node: simulated`, and follows the power annotation: a
    /// stopped machine stops renewing its Lease and its kubelet stops; a started one reports
    /// Ready again and picks its pods back up.
    func observe(_ node: JSONValue) {
        let name = node.metaName
        if !members.contains(name) {
            guard node.metaAnnotations[FleetMembers.adoptAnnotation] == "simulated",
                let index = members.add(name, group: FleetMembers.group(of: node)) else { return }
            kubelet.ips.addNode(name, cidr: config.podCIDR(node: index))
            Task { [self] in await boot(name) }
        }
        let on = node.metadata.annotations[Self.powerAnnotation] != "off"
        guard members.set(name, on: on) else { return }
        logger.info(on ? "Node machine powered on" : "Node machine powered off", metadata: ["node": "\(name)"])
        guard on else { return }
        Task { [self] in await boot(name) }
    }

    /// What a kubelet does as its machine starts: take the Lease, post a Ready status, and
    /// look at every pod bound to the node.
    func boot(_ name: String) async {
        // Failures are logged and left for the next Lease renewal (and the node controller) to mend.
        do { try await renewLease(name, now: clock.now()) } catch {
            logger.error("Failed to renew lease", metadata: ["node": "\(name)", "err": "\(error)"])
        }
        do { try await postStatus(name, try await client.get(.nodes, namespace: nil, name: name)) } catch {
            logger.error("Failed to post node status", metadata: ["node": "\(name)", "err": "\(error)"])
        }
        for pod in pods.list() where Pod(pod).spec.nodeName == name { kubelet.queue.add(Informer.key(pod)) }
    }

    /// Runs the kubelet and the Lease renewals until cancelled. The informers must be running
    /// when they are shared; an own informer is started here.
    public func run(workers: Int = 8, ownInformers: Bool = true, onSynced: @escaping @Sendable () -> Void = {}) async {
        await withTaskGroup(of: Void.self) { group in
            if ownInformers {
                group.addTask { await self.pods.run(clock: self.clock) }
                group.addTask { await self.nodes.run(clock: self.clock) }
            }
            await pods.waitForSync()
            await nodes.waitForSync()
            onSynced()
            group.addTask { await self.renewLeases() }
            group.addTask { [kubelet] in
                await withTaskCancellationHandler { await kubelet.run(workers: workers) } onCancel: { kubelet.queue.shutDown() }
            }
        }
    }

    public var isIdle: Bool { kubelet.queue.isIdle }
}
