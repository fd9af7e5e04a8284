import Controllers
import Foundation
import KubeClient
import Nodes

/// What runs beside the API server in `kplane up`: simulated nodes and the controllers.
struct LocalCluster: Sendable {
    let client: APIClient
    let clock: any WallClock
    let fleet: SimulatedFleet
    let controllers: ControllerManager
    let ready = Gate()

    init(client: APIClient, clock: any WallClock, fleet config: FleetConfig) {
        self.client = client
        self.clock = clock
        fleet = SimulatedFleet(client: client, clock: clock, config: config)
        controllers = ControllerManager(client: client, clock: clock)
    }

    func run() async throws {
        try await fleet.register()
        await withTaskGroup(of: Void.self) { group in
            let synced = Counter(target: 2) { ready.open() }
            group.addTask { await fleet.run(onSynced: { synced.tick() }) }
            group.addTask { await controllers.run(onSynced: { synced.tick() }) }
        }
    }
}
