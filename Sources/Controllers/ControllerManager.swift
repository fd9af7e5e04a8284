import Foundation
import KubeClient
import KubeModel
import Logging

/// kube-controller-manager in small: shared informers for the resources the controllers read,
/// and the controllers themselves, all over one `APIClient` (in-process or HTTP).
public final class ControllerManager: Sendable {
    public let client: APIClient
    public let clock: any WallClock
    public let workers: Int
    public let pods: Informer
    public let replicaSets: Informer
    public let deployments: Informer
    public let replicaSetController: ReplicaSetController
    public let deploymentController: DeploymentController
    public let garbageCollector: GarbageCollector
    public let namespaceController: NamespaceController
    public let serviceAccounts: ServiceAccountsController
    public let nodeLifecycle: NodeLifecycleController
    public let taintEviction: TaintEviction
    public let endpointSliceController: EndpointSliceController
    public let endpointsController: EndpointsController
    public let horizontalPodAutoscaler: HorizontalPodAutoscalerController
    public let scaleToZero: ScaleToZeroController
    public let informers: SharedInformers
    let recorders: [EventRecorder]

    /// `informers` may be shared with components beside the controllers (in `kplane up`, the
    /// scheduler and the fleet), which then need not watch the same resources again. `logging`
    /// makes each controller's logger from its name (tests pass one that collects the lines).
    public init(client api: APIClient, clock: any WallClock, workers: Int = 5, informers: SharedInformers? = nil,
                hpa: HorizontalPodAutoscalerController.Settings = .init(),
                logging: @escaping @Sendable (String) -> Logger = { Logger(label: $0) }) {
        let client = api.identified(as: UserAgent.controllerManager)
        self.client = client
        self.clock = clock
        self.workers = workers
        let shared = informers ?? SharedInformers(client: client)
        self.informers = shared
        pods = shared.informer(.pods)
        replicaSets = shared.informer(.replicaSets)
        deployments = shared.informer(.deployments)
        let everything = SharedInformers.everyResource.map(shared.informer)
        let rsRecorder = EventRecorder(client: client, component: "replicaset-controller", clock: clock, logger: logging("replicaset-controller"))
        let dRecorder = EventRecorder(client: client, component: "deployment-controller", clock: clock, logger: logging("deployment-controller"))
        let nodeRecorder = EventRecorder(client: client, component: "node-controller", clock: clock, logger: logging("node-controller"))
        let evictionRecorder = EventRecorder(client: client, component: "taint-eviction-controller", clock: clock, logger: logging("taint-eviction-controller"))
        let sliceRecorder = EventRecorder(client: client, component: "endpoint-slice-controller", clock: clock, logger: logging("endpointslice-controller"))
        let endpointsRecorder = EventRecorder(client: client, component: "endpoint-controller", clock: clock, logger: logging("endpoint-controller"))
        let hpaRecorder = EventRecorder(client: client, component: "horizontal-pod-autoscaler", clock: clock, logger: logging("horizontal-pod-autoscaler"))
        let idleRecorder = EventRecorder(client: client, component: "scale-to-zero", clock: clock, logger: logging("scale-to-zero"))
        recorders = [rsRecorder, dRecorder, nodeRecorder, evictionRecorder, sliceRecorder, endpointsRecorder, hpaRecorder, idleRecorder]
        replicaSetController = ReplicaSetController(client: client, clock: clock, replicaSets: replicaSets, pods: pods, recorder: rsRecorder,
                                                    logger: logging("replicaset-controller"))
        deploymentController = DeploymentController(client: client, clock: clock, deployments: deployments, replicaSets: replicaSets, pods: pods, recorder: dRecorder,
                                                    logger: logging("deployment-controller"))
        garbageCollector = GarbageCollector(client: client, clock: clock, informers: everything, logger: logging("garbage-collector"))
        namespaceController = NamespaceController(client: client, clock: clock, namespaces: shared.informer(.namespaces), contents: everything,
                                                  logger: logging("namespace-controller"))
        serviceAccounts = ServiceAccountsController(client: client, clock: clock, namespaces: shared.informer(.namespaces),
                                                    serviceAccounts: shared.informer(ServiceAccountsController.serviceAccounts),
                                                    logger: logging("serviceaccount-controller"))
        let nodes = shared.informer(.nodes)
        nodeLifecycle = NodeLifecycleController(client: client, clock: clock, nodes: nodes, leases: shared.informer(.leases), pods: pods, recorder: nodeRecorder,
                                               logger: logging("node-lifecycle-controller"))
        taintEviction = TaintEviction(client: client, clock: clock, nodes: nodes, pods: pods, recorder: evictionRecorder,
                                     logger: logging("taint-eviction-controller"))
        let services = shared.informer(EndpointSliceController.services)
        endpointSliceController = EndpointSliceController(client: client, clock: clock, services: services, pods: pods, nodes: nodes,
                                                          endpointSlices: shared.informer(EndpointSliceController.endpointSlices), recorder: sliceRecorder,
                                                          logger: logging("endpointslice-controller"))
        endpointsController = EndpointsController(client: client, clock: clock, services: services, pods: pods,
                                                  endpoints: shared.informer(EndpointsController.endpointsResource), recorder: endpointsRecorder,
                                                  logger: logging("endpoint-controller"))
        horizontalPodAutoscaler = HorizontalPodAutoscalerController(client: client, clock: clock, settings: hpa,
                                                                    hpas: shared.informer(HorizontalPodAutoscalerController.resource), pods: pods,
                                                                    recorder: hpaRecorder, logger: logging("horizontal-pod-autoscaler"))
        scaleToZero = ScaleToZeroController(client: client, clock: clock, deployments: deployments, recorder: idleRecorder, logger: logging("scale-to-zero"))
    }

    var controllers: [any Controller] {
        [replicaSetController, deploymentController, garbageCollector, namespaceController, serviceAccounts, nodeLifecycle, taintEviction,
         endpointSliceController, endpointsController, horizontalPodAutoscaler, scaleToZero]
    }

    /// Starts informers, waits for their first lists, and runs the controllers until cancelled.
    public func run(onSynced: @escaping @Sendable () -> Void = {}) async {
        await withTaskGroup(of: Void.self) { group in
            let all = informers.all
            for informer in all { group.addTask { [clock] in await informer.run(clock: clock) } }
            for informer in all { await informer.waitForSync() }
            onSynced()
            group.addTask { await self.nodeLifecycle.monitor() }
            for c in controllers {
                group.addTask { [workers] in
                    await withTaskCancellationHandler {
                        await c.run(workers: workers)
                    } onCancel: {
                        c.queue.shutDown()
                    }
                }
            }
        }
        for r in recorders { await r.shutDown() }
    }

    /// True when no controller has work queued or in hand (delayed requeues aside).
    public var isIdle: Bool { controllers.allSatisfy { $0.queue.isIdle } }
}
