import Foundation
import KubeClient
import KubeModel

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
    let recorders: [EventRecorder]

    public init(client: APIClient, clock: any WallClock, workers: Int = 5) {
        self.client = client
        self.clock = clock
        self.workers = workers
        pods = Informer(client: client, resource: .pods)
        replicaSets = Informer(client: client, resource: .replicaSets)
        deployments = Informer(client: client, resource: .deployments)
        let rsRecorder = EventRecorder(client: client, component: "replicaset-controller", clock: clock)
        let dRecorder = EventRecorder(client: client, component: "deployment-controller", clock: clock)
        recorders = [rsRecorder, dRecorder]
        replicaSetController = ReplicaSetController(client: client, clock: clock, replicaSets: replicaSets, pods: pods, recorder: rsRecorder)
        deploymentController = DeploymentController(client: client, clock: clock, deployments: deployments, replicaSets: replicaSets, pods: pods, recorder: dRecorder)
        garbageCollector = GarbageCollector(client: client, clock: clock, dependents: [pods, replicaSets], owners: [replicaSets, deployments])
    }

    var informers: [Informer] { [pods, replicaSets, deployments] }
    var controllers: [any Controller] { [replicaSetController, deploymentController, garbageCollector] }

    /// Starts informers, waits for their first lists, and runs the controllers until cancelled.
    public func run(onSynced: @escaping @Sendable () -> Void = {}) async {
        await withTaskGroup(of: Void.self) { group in
            for informer in informers { group.addTask { await informer.run() } }
            for informer in informers { await informer.waitForSync() }
            onSynced()
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
