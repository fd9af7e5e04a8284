import Foundation
import KubeClient
import KubeModel

/// N simulated nodes in one agent: registers them (Ready), places pending pods on them, and
/// runs their kubelet. Cheap enough for thousands of nodes, since no pod runs anything.
public final class SimulatedFleet: Sendable {
    public let config: FleetConfig
    let client: APIClient
    let clock: any WallClock
    public let pods: Informer
    public let placement: SimplePlacement
    public let kubelet: SimulatedKubelet

    public init(client: APIClient, clock: any WallClock, config: FleetConfig) {
        self.client = client
        self.clock = clock
        self.config = config
        pods = Informer(client: client, resource: .pods)
        placement = SimplePlacement(client: client, clock: clock, pods: pods, nodes: config.nodeNames)
        kubelet = SimulatedKubelet(client: client, clock: clock, pods: pods, config: config)
    }

    /// Creates the nodes that do not exist yet and marks every node Ready.
    public func register() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (i, name) in config.nodeNames.enumerated() {
                group.addTask { [self] in
                    var node: JSONValue
                    do {
                        node = try await client.create(.nodes, namespace: nil, NodeObject.make(name: name, index: i, config: config))
                    } catch let e as APIStatusError where e.code == 409 {
                        node = try await client.get(.nodes, namespace: nil, name: name)
                    }
                    node["status"] = NodeObject.status(name: name, index: i, config: config, now: clock.now())
                    _ = try await client.update(.nodes, namespace: nil, node, subresource: "status")
                }
            }
            try await group.waitForAll()
        }
    }

    /// Runs placement and kubelets until cancelled.
    public func run(workers: Int = 8, onSynced: @escaping @Sendable () -> Void = {}) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.pods.run() }
            await pods.waitForSync()
            onSynced()
            for c in [placement, kubelet] as [any Controller] {
                group.addTask {
                    await withTaskCancellationHandler { await c.run(workers: workers) } onCancel: { c.queue.shutDown() }
                }
            }
        }
    }

    public var isIdle: Bool { placement.queue.isIdle && kubelet.queue.isIdle }
}
