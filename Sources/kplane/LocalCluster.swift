import Controllers
import Foundation
import KubeClient
import Nodes
import Scheduler

/// What runs beside the API server in `kplane up`: the controllers, the scheduler and the
/// simulated fleet, sharing one set of informers (one watch per resource for all of them).
struct LocalCluster: Sendable {
    let client: APIClient
    let clock: any WallClock
    let informers: SharedInformers
    let fleet: SimulatedFleet
    let scheduler: Scheduler
    let controllers: ControllerManager
    let ready = Gate()

    init(client: APIClient, clock: any WallClock, fleet config: FleetConfig) {
        self.client = client
        self.clock = clock
        informers = SharedInformers(client: client)
        let pods = informers.informer(.pods), nodes = informers.informer(.nodes)
        controllers = ControllerManager(client: client, clock: clock, informers: informers)
        scheduler = Scheduler(client: client, clock: clock, pods: pods, nodes: nodes)
        fleet = SimulatedFleet(client: client, clock: clock, config: config, pods: pods, nodes: nodes)
    }

    func run() async throws {
        try await fleet.register()
        await withTaskGroup(of: Void.self) { group in
            let synced = Counter(target: 2) { ready.open() }
            group.addTask { await controllers.run(onSynced: { synced.tick() }) }
            group.addTask { await fleet.run(ownInformers: false, onSynced: { synced.tick() }) }
            group.addTask { await scheduler.run() }
        }
    }
}
