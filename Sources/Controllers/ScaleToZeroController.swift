import Foundation
import KubeClient
import KubeModel
import Logging
import Synchronization

/// Scales a Deployment that opted in (`ScaleToZero.afterAnnotation`) to zero replicas once no
/// request has reached it through a Service or an Ingress for its idle period, as Knative's
/// autoscaler retires an idle revision. Requests are what the proxies' activator reports in
/// `ScaleToZero.lastRequestAnnotation`; a Deployment that has just come up (created, scaled
/// by hand, woken) counts as active from when this controller first saw it with replicas.
public final class ScaleToZeroController: Controller {
    public let name = "scale-to-zero"
    public let logger: Logger
    public let queue: WorkQueue
    let client: APIClient
    let clock: any WallClock
    let deployments: Informer
    let recorder: EventRecorder
    /// When each opted-in Deployment was first seen with replicas (one entry per such Deployment).
    private let activeSince = Mutex<[String: Date]>([:])

    public init(client: APIClient, clock: any WallClock, deployments: Informer, recorder: EventRecorder, logger: Logger? = nil) {
        self.logger = logger ?? Logger(label: "scale-to-zero")
        self.client = client
        self.clock = clock
        self.deployments = deployments
        self.recorder = recorder
        queue = WorkQueue(clock: clock)
        deployments.addHandler(Informer.Handler(
            onAdd: { [queue] in queue.add(Informer.key($0)) },
            onUpdate: { [queue] old, new in
                if old.metadata.annotations != new.metadata.annotations || old["spec"] != new["spec"] { queue.add(Informer.key(new)) }
            },
            onDelete: { [queue] in queue.add(Informer.key($0)) }))
    }

    public func reconcile(_ key: String) async throws {
        let now = clock.now()
        guard let d = deployments.get(key), let idle = ScaleToZero.idlePeriod(of: d), (Deployment(d).spec.replicas ?? 1) > 0 else {
            _ = activeSince.withLock { $0.removeValue(forKey: key) }
            return
        }
        let since = activeSince.withLock { m in
            if m[key] == nil { m[key] = now }
            return m[key] ?? now
        }
        let last = max(since, ScaleToZero.lastRequest(of: d) ?? since)
        let quiet = now.timeIntervalSince(last)
        guard quiet >= idle else {
            queue.add(key, after: idle - quiet)
            return
        }
        _ = try await client.call("PATCH", APIResource.deployments.path(namespace: d.metadata.namespace, name: d.metadata.name, subresource: "scale"),
                                  body: ["spec": ["replicas": 0]], contentType: "application/merge-patch+json")
        _ = activeSince.withLock { $0.removeValue(forKey: key) }
        let text = GoDuration.string(seconds: idle)
        recorder.event(d, of: .deployments, reason: "ScaledToZero", message: "No request through its Services for \(text): scaled to zero")
        logger.info("Scaled to zero", metadata: ["deployment": "\(key)", "idle": "\(text)"])
    }
}
