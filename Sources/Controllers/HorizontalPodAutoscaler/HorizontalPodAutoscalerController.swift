import Foundation
import KubeClient
import KubeModel
import Logging
import Synchronization

/// kube-controller-manager's HPA controller (pkg/controller/podautoscaler/horizontal.go): every
/// sync period each HorizontalPodAutoscaler reads its target's `/scale`, the pods its selector
/// picks and their metrics from metrics.k8s.io, decides a replica count (`HPAHistory.decideScale`,
/// the replica calculator and the behavior rules), writes the scale when it changes, and reports
/// what it saw in the HPA's status, conditions and events.
public final class HorizontalPodAutoscalerController: Controller {
    /// kube-controller-manager's `--horizontal-pod-autoscaler-*` flags, with their defaults.
    public struct Settings: Sendable {
        /// `--horizontal-pod-autoscaler-sync-period`.
        public var syncPeriod: TimeInterval = 15
        /// `--horizontal-pod-autoscaler-downscale-stabilization`.
        public var downscaleStabilization: TimeInterval = 300
        /// `--horizontal-pod-autoscaler-tolerance`.
        public var tolerance: Double = Tolerances.defaultTolerance
        /// `--horizontal-pod-autoscaler-cpu-initialization-period`.
        public var cpuInitializationPeriod: TimeInterval = 300
        /// `--horizontal-pod-autoscaler-initial-readiness-delay`.
        public var initialReadinessDelay: TimeInterval = 30
        public init() {}
    }

    public static let resource = APIResource.builtin("horizontalpodautoscalers.autoscaling")
    public let name = "horizontal-pod-autoscaler"
    public let logger: Logger
    public let queue: WorkQueue
    let client: APIClient
    let clock: any WallClock
    let settings: Settings
    let hpas: Informer
    let pods: Informer
    let recorder: EventRecorder
    let targets: ScaleTargets
    /// Recommendations and scale events per HPA key, in memory as in kube-controller-manager;
    /// one entry per HPA that exists, removed when it is deleted.
    let histories = Mutex<[String: HPAHistory]>([:])

    public init(client: APIClient, clock: any WallClock, settings: Settings = Settings(), hpas: Informer, pods: Informer,
                recorder: EventRecorder, logger: Logger? = nil) {
        self.logger = logger ?? Logger(label: "horizontal-pod-autoscaler")
        self.client = client
        self.clock = clock
        self.settings = settings
        self.hpas = hpas
        self.pods = pods
        self.recorder = recorder
        targets = ScaleTargets(client: client, clock: clock)
        queue = WorkQueue(clock: clock)
        hpas.addHandler(Informer.Handler(
            onAdd: { [queue] in queue.add(Informer.key($0)) },
            // A spec change is acted on at once; status writes (ours) wait for the next period.
            onUpdate: { [queue] old, new in if old["spec"] != new["spec"] { queue.add(Informer.key(new)) } },
            onDelete: { [queue] in queue.add(Informer.key($0)) }))
    }

    var calculator: ReplicaCalculator {
        ReplicaCalculator(cpuInitializationPeriod: settings.cpuInitializationPeriod, delayOfInitialReadinessStatus: settings.initialReadinessDelay)
    }

    public func reconcile(_ key: String) async throws {
        guard let object = hpas.get(key) else {
            _ = histories.withLock { $0.removeValue(forKey: key) }
            return
        }
        // Every HPA is looked at again each sync period, whatever happens now (the controller's
        // queue re-adds it at the period, as kube-controller-manager's fixed-interval limiter does).
        defer { queue.add(key, after: settings.syncPeriod) }
        do {
            try await reconcileAutoscaler(object, key: key)
        } catch {
            // As kube-controller-manager's fixed-interval queue: a failure (a status write that
            // conflicted) is logged and tried again at the next period, not at once, which could
            // rescale twice against a scale just written.
            logger.error("Failed to reconcile", metadata: ["hpa": "\(key)", "err": "\(Self.describe(error))"])
        }
    }

    /// reconcileAutoscaler, reading top-down as horizontal.go does.
    func reconcileAutoscaler(_ object: JSONValue, key: String) async throws {
        let hpa = HorizontalPodAutoscaler(object)
        let namespace = object.metadata.namespace
        let now = clock.now()
        var status = HPAStatusUpdate(object, now: now)
        let ref = hpa.spec.scaleTargetRef

        let scale: JSONValue
        let target: APIResource
        do {
            target = try await targets.resource(for: ref)
            scale = try await client.call("GET", target.path(namespace: namespace, name: ref.name, subresource: "scale"))
        } catch {
            let message = Self.describe(error)
            recorder.event(object, of: Self.resource, type: "Warning", reason: HPAReason.failedGetScale, message: message)
            status.set(HPAConditionUpdate(.ableToScale, false, HPAReason.failedGetScale, HPAMessage.failedGetScale(message)))
            try await status.write(client: client, recorder: recorder)
            return
        }
        status.set(HPAConditionUpdate(.ableToScale, true, HPAReason.succeededGetScale, HPAMessage.succeededGetScale))
        let currentReplicas = Int32(clamping: Scale(scale).spec.replicas)
        let minReplicas = Int32(clamping: hpa.spec.minReplicas), maxReplicas = Int32(clamping: hpa.spec.maxReplicas)
        let behavior = HPABehavior(hpa.spec.behavior)

        // What the metrics say, read before deciding (the decision itself is synchronous).
        var proposalInputs: (pods: [Pod], metrics: ResourceMetricsReading)?
        if currentReplicas != 0 || minReplicas == 0, currentReplicas >= minReplicas, currentReplicas <= maxReplicas {
            guard let selector = selector(scale, object, &status) else {
                status.currentReplicas = currentReplicas
                try await status.write(client: client, recorder: recorder)
                return
            }
            proposalInputs = (pods.list(namespace: namespace, selector: selector).map(Pod.init),
                              await podMetrics(namespace: namespace, selector: Scale(scale).status.selector ?? ""))
        }
        let tolerances = Tolerances(behavior: hpa.spec.behavior, default: settings.tolerance)
        let inputs = proposalInputs ?? ([], .samples([]))
        let decision = histories.withLock { h in
            h[key, default: HPAHistory()].decideScale(
                currentReplicas: currentReplicas, minReplicas: minReplicas, maxReplicas: maxReplicas, behavior: behavior,
                downscaleStabilizationWindow: settings.downscaleStabilization, now: now) { [calculator] in
                    return calculator.computeReplicasForMetrics(hpa.spec.metrics, specReplicas: currentReplicas, tolerances: tolerances,
                                                                pods: inputs.pods, metrics: inputs.metrics, now: now)
                }
        }
        for c in decision.conditions { status.set(c) }
        for e in decision.metrics?.events ?? [] { recorder.event(object, of: Self.resource, type: e.type, reason: e.reason, message: e.message) }
        status.currentReplicas = currentReplicas
        status.currentMetrics = decision.metrics?.statuses
        if let failure = decision.failedComputeMetrics {
            try await status.write(client: client, recorder: recorder)
            recorder.event(object, of: Self.resource, type: "Warning", reason: HPAEvents.failedComputeMetricsReplicas, message: failure)
            return
        }
        status.desiredReplicas = decision.desiredReplicas
        if decision.rescale {
            var updated = scale
            updated.set(["spec", "replicas"], .int(Int64(decision.desiredReplicas)))
            do {
                _ = try await client.call("PUT", target.path(namespace: namespace, name: ref.name, subresource: "scale"), body: updated)
            } catch {
                let message = Self.describe(error)
                recorder.event(object, of: Self.resource, type: "Warning", reason: HPAEvents.failedRescale,
                               message: HPAEvents.failedRescaleMessage(decision.desiredReplicas, reason: decision.rescaleReason, error: message))
                status.set(HPAConditionUpdate(.ableToScale, false, HPAReason.failedUpdateScale, HPAMessage.failedUpdateScale(message)))
                status.desiredReplicas = nil
                try await status.write(client: client, recorder: recorder)
                return
            }
            status.set(HPAConditionUpdate(.ableToScale, true, HPAReason.succeededRescale, HPAMessage.succeededRescale(decision.desiredReplicas)))
            recorder.event(object, of: Self.resource, reason: HPAEvents.successfulRescale,
                           message: HPAEvents.successfulRescaleMessage(decision.desiredReplicas, reason: decision.rescaleReason))
            histories.withLock { $0[key]?.storeScaleEvent(behavior: behavior, prevReplicas: currentReplicas, newReplicas: decision.desiredReplicas, now: now) }
            status.lastScaleTime = now
            logger.info("Successful rescale", metadata: ["hpa": "\(key)", "currentReplicas": "\(currentReplicas)",
                                                         "desiredReplicas": "\(decision.desiredReplicas)", "reason": "\(decision.rescaleReason)"])
        }
        try await status.write(client: client, recorder: recorder)
    }

    /// validateAndParseSelector: the scale's `status.selector`, or a condition and event saying
    /// why there is none to use.
    private func selector(_ scale: JSONValue, _ object: JSONValue, _ status: inout HPAStatusUpdate) -> LabelSelector? {
        let text = Scale(scale).status.selector ?? ""
        // Then, as computeReplicasForMetrics fails, FailedComputeMetricsReplicas with the same error.
        func failed(_ error: String) {
            recorder.event(object, of: Self.resource, type: "Warning", reason: HPAEvents.failedComputeMetricsReplicas, message: error)
        }
        if text.isEmpty {
            recorder.event(object, of: Self.resource, type: "Warning", reason: HPAEvents.selectorRequired, message: "selector is required")
            status.set(HPAConditionUpdate(.scalingActive, false, HPAReason.invalidSelector, HPAMessage.missingSelector))
            failed("selector is required")
            return nil
        }
        do {
            return try LabelSelector.parse(text)
        } catch {
            let message = HPAMessage.invalidSelector("\(error)")
            recorder.event(object, of: Self.resource, type: "Warning", reason: HPAReason.invalidSelector, message: message)
            status.set(HPAConditionUpdate(.scalingActive, false, HPAReason.invalidSelector, message))
            failed(message)
            return nil
        }
    }

    /// The selected pods' metrics from the resource metrics API.
    private func podMetrics(namespace: String, selector: String) async -> ResourceMetricsReading {
        do {
            let list = try await client.call("GET", "/apis/metrics.k8s.io/v1beta1/namespaces/\(namespace)/pods", query: [("labelSelector", selector)])
            return .samples((list["items"]?.arrayValue ?? []).compactMap(PodMetrics.init(json:)))
        } catch {
            return .failed(Self.describe(error))
        }
    }

    static func describe(_ error: any Error) -> String {
        if let e = error as? APIStatusError { return e.message }
        return "\(error)"
    }
}
