import Foundation
import KubeClient
import KubeModel
import Logging
import Synchronization

/// Knative's activator, for the Service proxy and the Ingress: a request to a Service whose
/// Deployment opted into scale to zero (`ScaleToZero.afterAnnotation`) is noted as activity,
/// and when the Service has no ready endpoint the request is held while the Deployment is
/// scaled from zero to one and its pod turns Ready, then let through. The time it was held
/// (the cold start) is logged and told in an event on the Deployment. Activity reaches the
/// API as the Deployment's `ScaleToZero.lastRequestAnnotation`, which the scale-to-zero
/// controller reads, written at most once per `reportEvery` per Deployment.
public final class Activator: Sendable {
    /// How long a request is held at most; then the proxy answers as it would without an endpoint.
    public static let holdTimeout: TimeInterval = 60
    /// The most requests held at once; past it, a request is answered at once (no endpoint).
    public static let maxHeld = 1000
    /// How often activity is written to the Deployments that had some.
    public static let reportEvery: TimeInterval = 1

    let client: APIClient
    let clock: any WallClock
    let tracker: EndpointTracker
    let deployments: Informer
    let pods: Informer
    let recorder: EventRecorder
    let logger: Logger

    private struct State {
        /// Deployments (`namespace/name`) with requests since the last report, and when.
        var activity: [String: Date] = [:]
        /// When each Deployment's activity was last written.
        var reported: [String: Date] = [:]
        /// Deployments being scaled from zero, with when the first held request arrived.
        var waking: [String: Date] = [:]
        /// When each waking Deployment was last asked to scale to one (retried while it stays at 0).
        var scaleAsked: [String: Date] = [:]
        /// Deployments whose new pods one held request is probing now (the others wait for it).
        var probing: Set<String> = []
        /// A woken pod that answered its probe, for every request held for its Deployment.
        var answered: [String: ServiceEndpoint] = [:]
        /// Open proxied connections per Deployment: a long-lived connection is activity.
        var open: [String: Int] = [:]
        var held = 0
    }
    private let state = Mutex(State())
    /// Opted-in Deployments by namespace, each with its template's labels (one entry per such Deployment).
    private let optedIn = Mutex<[String: [String: [String: String]]]>([:])

    public init(client: APIClient, clock: any WallClock, tracker: EndpointTracker, deployments: Informer, pods: Informer,
                logger: Logger = Logger(label: "activator")) {
        self.pods = pods
        self.client = client
        self.clock = clock
        self.tracker = tracker
        self.deployments = deployments
        self.logger = logger
        recorder = EventRecorder(client: client, component: "activator", clock: clock, logger: logger)
        deployments.addHandler(Informer.Handler(
            onAdd: { [weak self] in self?.observe($0) },
            onUpdate: { [weak self] in self?.observe($1) },
            onDelete: { [weak self] in self?.observe($0, deleted: true) }))
    }

    /// The opted-in Deployment whose pods the Service selects, if any. A Service of a namespace
    /// where no Deployment opted in costs one lookup (this runs for every connection).
    func target(of service: ServiceKey) -> JSONValue? {
        guard let candidates = optedIn.withLock({ $0[service.namespace] }), !candidates.isEmpty,
            let selector = tracker.service(service)?.spec.selector, !selector.isEmpty else { return nil }
        guard let key = candidates.first(where: { _, labels in selector.allSatisfy { labels[$0.key] == $0.value } })?.key else { return nil }
        return deployments.get(key)
    }

    /// Follows which Deployments opted in, with their pod template's labels.
    private func observe(_ d: JSONValue, deleted: Bool = false) {
        let labels = Deployment(d).spec.template.metadata.labels
        let opted = !deleted && ScaleToZero.idlePeriod(of: d) != nil
        optedIn.withLock { m in
            m[d.metadata.namespace, default: [:]][Informer.key(d)] = opted ? labels : nil
            if m[d.metadata.namespace]?.isEmpty == true { m[d.metadata.namespace] = nil }
        }
    }

    /// Counts a proxied connection to the Service as open until `closed` is called: while one
    /// is, the Deployment counts as active (a kept-alive client sends without connecting again).
    public func opened(_ service: ServiceKey) -> String? {
        guard let d = target(of: service) else { return nil }
        let key = Informer.key(d)
        state.withLock { $0.open[key, default: 0] += 1 }
        return key
    }

    public func closed(_ key: String) {
        let now = clock.now()
        state.withLock { s in
            s.open[key] = (s.open[key] ?? 1) - 1
            if s.open[key] ?? 0 <= 0 { s.open[key] = nil }
            s.activity[key] = now
        }
    }

    /// Notes a request (a new connection, or an HTTP request) to the Service.
    public func touch(_ service: ServiceKey) {
        guard let d = target(of: service) else { return }
        let now = clock.now()
        state.withLock { $0.activity[Informer.key(d)] = now }
    }

    /// What a held request does next.
    public enum Outcome: Sendable, Equatable {
        /// The Service has endpoints: go on as usual.
        case endpoints
        /// A woken pod answered its probe before the Service listed it: send the request there.
        case pod(ServiceEndpoint)
        /// No Deployment of the Service scales to zero, or nothing came in time.
        case none
    }

    /// Holds the caller until the Service has an endpoint for `port` (and `ready` holds: the
    /// caller's own view of the endpoints has caught up), or a pod of its Deployment answers
    /// its readiness probe (`ColdStartProbe`), scaling the Deployment from zero first;
    /// `.none` at once when no Deployment of the Service opted in, or after `holdTimeout`.
    public func activate(_ service: ServiceKey, port: ServicePortReference, ready: @Sendable () -> Bool = { true }) async -> Outcome {
        guard let d = target(of: service) else { return .none }
        let key = Informer.key(d)
        let started = clock.now()
        let admitted = state.withLock { s -> Bool in
            guard s.held < Self.maxHeld else { return false }
            s.held += 1
            s.activity[key] = started
            if s.waking[key] == nil {
                // A new wake: what an earlier one's probe found is gone with its pods.
                s.waking[key] = started
                s.answered[key] = nil
            }
            return true
        }
        guard admitted else {
            logger.warning("Too many requests held; answering without an endpoint", metadata: ["service": "\(service)", "held": "\(Self.maxHeld)"])
            return .none
        }
        defer { state.withLock { $0.held -= 1 } }
        let targetPort = tracker.service(service).flatMap { port.match(in: $0.spec.ports) }?.targetPort ?? port.number.map { .int(Int64($0)) }
        let selector = Deployment(d).spec.template.metadata.labels
        let deadline = started.addingTimeInterval(Self.holdTimeout)
        while clock.now() < deadline, !Task.isCancelled {
            if let endpoint = tracker.endpoints(of: service, port: port).first, ready() {
                coldStart(d, key, service, endpoint.description)
                state.withLock { _ = $0.answered.removeValue(forKey: key) }
                return .endpoints
            }
            if let endpoint = state.withLock({ $0.answered[key] }) {
                coldStart(d, key, service, "pod \(endpoint) answered its readiness probe")
                return .pod(endpoint)
            }
            await scaleFromZeroIfStillAtZero(key, service: service)
            // One held request probes the new pods at a time; the others find its answer above.
            if state.withLock({ $0.probing.insert(key).inserted }) {
                var found: ServiceEndpoint?
                for pod in pods.list(namespace: service.namespace) where selector.allSatisfy({ Informer.labels(pod)[$0.key] == $0.value }) {
                    if let endpoint = await ColdStartProbe.ready(pod, targetPort: targetPort) {
                        found = endpoint
                        break
                    }
                }
                state.withLock { s in
                    s.probing.remove(key)
                    if let found { s.answered[key] = found }
                }
                if found != nil { continue }
            }
            guard (try? await clock.sleep(for: Self.probeEvery)) != nil else { break }
        }
        if Task.isCancelled {
            logger.debug("A held request's client left", metadata: ["service": "\(service)"])
            return .none
        }
        state.withLock { s in
            s.waking[key] = nil
            s.scaleAsked[key] = nil
        }
        logger.warning("No endpoint came while a request was held", metadata: ["service": "\(service)", "deployment": "\(key)"])
        return .none
    }

    /// Asks for one replica while the Deployment (as last seen) is at zero: at once for the first
    /// held request, then again each second, should a write have failed or raced a scale down.
    private func scaleFromZeroIfStillAtZero(_ key: String, service: ServiceKey) async {
        guard let d = deployments.get(key), (Deployment(d).spec.replicas ?? 1) == 0 else { return }
        let now = clock.now()
        let due = state.withLock { s -> Bool in
            if let asked = s.scaleAsked[key], now.timeIntervalSince(asked) < 1 { return false }
            s.scaleAsked[key] = now
            return true
        }
        if due { await scaleFromZero(d, service: service) }
    }

    /// How often a held request looks again (Knative's activator probes every 25 ms or so).
    static let probeEvery: TimeInterval = 0.025

    /// Logs and tells, once per wake, how long the first request was held.
    private func coldStart(_ d: JSONValue, _ key: String, _ service: ServiceKey, _ what: String) {
        guard let wakeStart = state.withLock({ s -> Date? in
            s.scaleAsked[key] = nil
            return s.waking.removeValue(forKey: key)
        }) else { return }
        let text = "\(Int((clock.now().timeIntervalSince(wakeStart) * 1000).rounded()))ms"
        logger.info("Cold start", metadata: ["deployment": "\(key)", "service": "\(service)", "held": "\(text)", "until": "\(what)"])
        recorder.event(d, of: .deployments, reason: "ColdStart", message: "The first request through Service \(service.name) was held \(text) until \(what)")
    }

    private func scaleFromZero(_ d: JSONValue, service: ServiceKey) async {
        let ns = d.metadata.namespace, name = d.metadata.name
        do {
            let now = Timestamp.format(clock.now())
            _ = try await client.patch(.deployments, namespace: ns, name: name,
                                       ["metadata": ["annotations": [ScaleToZero.lastRequestAnnotation: .string(now)]]], type: "application/merge-patch+json")
            _ = try await client.call("PATCH", APIResource.deployments.path(namespace: ns, name: name, subresource: "scale"),
                                      body: ["spec": ["replicas": 1]], contentType: "application/merge-patch+json")
            recorder.event(d, of: .deployments, reason: "ScaledFromZero",
                           message: "A request through Service \(service.name) arrived while the Deployment had no replicas: scaled to 1")
            logger.info("Scaled from zero", metadata: ["deployment": "\(ns)/\(name)", "service": "\(service)"])
        } catch {
            logger.error("Unable to scale from zero", metadata: ["deployment": "\(ns)/\(name)", "err": "\(error)"])
        }
    }

    /// Writes the Deployments' activity every `reportEvery` until cancelled.
    public func run() async {
        while !Task.isCancelled {
            let now = clock.now()
            let due = state.withLock { s -> [(String, Date)] in
                for key in s.open.keys { s.activity[key] = now }
                let due = s.activity.filter { key, _ in s.reported[key].map { now.timeIntervalSince($0) >= Self.reportEvery } ?? true }
                for (key, _) in due {
                    s.activity[key] = nil
                    s.reported[key] = now
                }
                // Forget reports of Deployments that went quiet long ago (bounded by activity).
                s.reported = s.reported.filter { now.timeIntervalSince($0.value) < 3600 }
                return Array(due)
            }
            for (key, at) in due {
                let (ns, name) = Informer.split(key)
                do {
                    _ = try await client.patch(.deployments, namespace: ns, name: name,
                                               ["metadata": ["annotations": [ScaleToZero.lastRequestAnnotation: .string(Timestamp.format(at))]]],
                                               type: "application/merge-patch+json")
                } catch {
                    logger.warning("Unable to report activity", metadata: ["deployment": "\(key)", "err": "\(error)"])
                }
            }
            guard (try? await clock.sleep(for: Self.reportEvery)) != nil else { break }
        }
        await recorder.shutDown()
    }
}
