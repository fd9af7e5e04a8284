import Foundation
import KubeClient
import KubeModel
import Logging
import Synchronization

/// The kubelet of every simulated node: starts bound pods (Running after the startup delay,
/// Ready once the readiness probe's initialDelaySeconds has passed) and finishes deleted ones
/// after their grace period, capped so a simulation does not wait 30 s per pod. A node whose
/// machine is off does nothing: its pods stay as they were until it boots.
public final class SimulatedKubelet: Controller {
    public let name = "simulated-kubelet"
    public let logger: Logger
    public let queue: WorkQueue
    let client: APIClient
    let clock: any WallClock
    let pods: Informer
    let config: FleetConfig
    let members: FleetMembers
    let ips = PodIPAllocator()
    let recorder: EventRecorder
    private let killed = Mutex<Set<String>>([])

    init(client: APIClient, clock: any WallClock, pods: Informer, config: FleetConfig, members: FleetMembers, logger: Logger) {
        self.logger = logger
        self.client = client
        self.clock = clock
        self.pods = pods
        self.config = config
        self.members = members
        for (i, n) in config.nodeNames.enumerated() { ips.addNode(n, cidr: config.podCIDR(node: i)) }
        queue = WorkQueue(clock: clock)
        recorder = EventRecorder(client: client, component: "kubelet", clock: clock, logger: logger)
        pods.addHandler(Informer.Handler(
            onAdd: { [weak self] in self?.enqueue($0) },
            onUpdate: { [weak self] in self?.enqueue($1) },
            onDelete: { [weak self] pod in
                guard let self else { return }
                _ = self.killed.withLock { $0.remove(pod.uid) }
                guard let node = self.node(of: pod), let ip = Pod(pod).status.podIP else { return }
                self.ips.release(node, ip)
            }))
    }

    func node(of pod: JSONValue) -> String? {
        guard let n = Pod(pod).spec.nodeName, members.contains(n) else { return nil }
        return n
    }

    func enqueue(_ pod: JSONValue) {
        guard let node = node(of: pod) else { return }
        if let ip = Pod(pod).status.podIP { ips.reserve(node, ip) }
        queue.add(Informer.key(pod))
    }

    public func reconcile(_ key: String) async throws {
        guard let pod = pods.get(key), let node = node(of: pod), members.isOn(node) else { return }
        let now = clock.now()
        if pod.isDeleting { return try await terminate(pod, now: now) }
        let status = Pod(pod).status
        let phase = PodConditions.phase(pod)
        guard phase == "Pending" || phase == "Running" else { return }
        let bound = status.conditions[type: "PodScheduled"]?.lastTransitionTime ?? now
        let startAt = bound.addingTimeInterval(config.startupSeconds)
        if phase == "Pending" && now < startAt {
            queue.add(key, after: startAt.timeIntervalSince(now))
            return
        }
        let started = status.startTime ?? now
        let readyAt = started.addingTimeInterval(Self.readinessDelay(pod) * config.probeDelayScale)
        let ready = now >= readyAt
        if phase == "Running" && PodConditions.isReady(pod) == ready { return }
        guard let index = members.member(node)?.index else { return }
        let ip = status.podIP ?? ips.allocate(node) ?? ""
        var next = pod
        next["status"] = PodStatus.running(pod, hostIP: config.internalIP(node: index), podIP: ip, started: started,
                                           ready: ready, readySince: ready ? max(readyAt, started) : nil, now: now)
        do {
            _ = try await client.update(.pods, namespace: pod.metaNamespace, next, subresource: "status")
        } catch let e as APIStatusError where e.code == 404 {
            return
        }
        if phase == "Pending" { recordStart(pod) }
        if !ready { queue.add(key, after: readyAt.timeIntervalSince(now)) }
    }

    /// What a kubelet reports as it starts containers (the image is always "present").
    func recordStart(_ pod: JSONValue) {
        for c in Pod(pod).spec.containers {
            let name = c.name, image = c.image
            recorder.event(pod, of: .pods, reason: "Pulled", message: "Container image \"\(image)\" already present on machine")
            recorder.event(pod, of: .pods, reason: "Created", message: "Created container: \(name)")
            recorder.event(pod, of: .pods, reason: "Started", message: "Started container \(name)")
        }
    }

    /// The longest `readinessProbe.initialDelaySeconds` of the pod's containers.
    static func readinessDelay(_ pod: JSONValue) -> TimeInterval {
        let delays = Pod(pod).spec.containers.compactMap { $0.readinessProbe?.initialDelaySeconds }
        return TimeInterval(delays.max() ?? 0)
    }

    /// Whether "Killing" was already recorded for this pod (a terminating pod is reconciled
    /// more than once).
    func announcedKilling(_ pod: JSONValue) -> Bool {
        killed.withLock { !$0.insert(pod.uid).inserted }
    }

    /// Removes a deleted pod once its (capped) grace period has run out.
    func terminate(_ pod: JSONValue, now: Date) async throws {
        let meta = Pod(pod).metadata
        let grace = TimeInterval(meta.deletionGracePeriodSeconds ?? 0)
        let deadline = meta.deletionTimestamp ?? now
        let requested = deadline.addingTimeInterval(-grace)
        let goneAt = requested.addingTimeInterval(min(grace, config.terminationCapSeconds))
        if !announcedKilling(pod) {
            for c in Pod(pod).spec.containers {
                recorder.event(pod, of: .pods, reason: "Killing", message: "Stopping container \(c.name)")
            }
        }
        if now < goneAt {
            queue.add(Informer.key(pod), after: goneAt.timeIntervalSince(now))
            return
        }
        do {
            _ = try await client.call("DELETE", APIResource.pods.path(namespace: pod.metaNamespace, name: pod.metaName),
                                      body: ["apiVersion": "v1", "kind": "DeleteOptions", "gracePeriodSeconds": 0,
                                             "preconditions": ["uid": .string(pod.uid)]])
        } catch let e as APIStatusError where e.code == 404 || e.code == 409 {
            // Already gone, or a new pod of the same name.
        }
    }
}
