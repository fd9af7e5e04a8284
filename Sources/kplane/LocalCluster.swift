import Controllers
import Foundation
import KubeClient
import Networking
import Nodes
import Scheduler

/// What runs beside the API server in `kplane up`: the controllers, the scheduler and the
/// nodes (simulated and process-backed), sharing one set of informers (one watch per resource for all of them).
struct LocalCluster: Sendable {
    let client: APIClient
    let clock: any WallClock
    let informers: SharedInformers
    let fleet: SimulatedFleet
    let scheduler: Scheduler
    let controllers: ControllerManager
    let processNodes: [ProcessNode]
    let ingress: IngressStack?
    let proxy: ServiceProxy
    let activator: Activator
    let simulatedPods: SimulatedPodResponder
    let ready = Gate()

    init(client: APIClient, clock: any WallClock, fleet whole: FleetConfig, processNodes: Int = 0, processGroup: NodeGroup = .machine(),
         dataDir: String = "", logPolicy: ContainerLogPolicy = ContainerLogPolicy(), ingress ingressSettings: IngressStack.Settings? = nil,
         hpa: HorizontalPodAutoscalerController.Settings = .init()) throws {
        let (config, fleetProcessNodes) = whole.split
        self.client = client
        self.clock = clock
        informers = SharedInformers(client: client)
        let pods = informers.informer(.pods), nodes = informers.informer(.nodes)
        controllers = ControllerManager(client: client, clock: clock, informers: informers, hpa: hpa)
        scheduler = Scheduler(client: client, clock: clock, pods: pods, nodes: nodes)
        fleet = SimulatedFleet(client: client, clock: clock, config: config, pods: pods, nodes: nodes)
        // One view of the Services' endpoints for the Service proxy and the Ingress.
        let shared = informers, endpoints = EndpointTracker(informers: informers)
        // Both hold requests to a Service whose Deployment scaled to zero while it wakes.
        let activator = Activator(client: client, clock: clock, tracker: endpoints, deployments: informers.informer(.deployments), pods: pods)
        self.activator = activator
        ingress = try ingressSettings.map {
            try IngressStack(client: client, clock: clock, informers: shared, endpoints: endpoints, settings: $0, activator: activator)
        }
        proxy = ServiceProxy(client: client, clock: clock, tracker: endpoints, nodes: nodes, activator: activator)
        simulatedPods = SimulatedPodResponder(clock: clock, pods: pods, nodes: nodes)
        // Process-backed nodes take the pod CIDRs after the simulated ones.
        let named = fleetProcessNodes + (0..<processNodes).map { ("kplane-process-\($0 + 1)", processGroup) }
        // Each node's address follows its machine-wide pod range: unique among every cluster here.
        self.processNodes = try named.map { node in
            try ProcessNode(client: client, clock: clock, name: node.name, group: node.group, dataDir: dataDir, pods: pods, logPolicy: logPolicy)
        }
    }

    func run() async throws {
        try await fleet.register()
        for node in processNodes { try await node.register() }
        await withTaskGroup(of: Void.self) { group in
            let synced = Counter(target: 2) { ready.open() }
            group.addTask { await controllers.run(onSynced: { synced.tick() }) }
            group.addTask { await fleet.run(ownInformers: false, onSynced: { synced.tick() }) }
            for node in processNodes { group.addTask { await node.run(ownInformer: false) } }
            group.addTask { await scheduler.run() }
            if let ingress { group.addTask { await ingress.run(ownInformers: false) } }
            group.addTask { await runClusterDNS() }
            group.addTask { await proxy.serve() }
            group.addTask { await activator.run() }
            group.addTask { await simulatedPods.serve() }
        }
    }
}
