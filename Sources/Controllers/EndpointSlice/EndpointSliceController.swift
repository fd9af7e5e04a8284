import Foundation
import KubeClient
import KubeModel
import Logging

/// Gives every Service with a selector the EndpointSlices of the pods it selects
/// (`pkg/controller/endpointslice`): at most 100 endpoints a slice, one slice group per set of
/// resolved ports, `ready`/`serving`/`terminating` conditions, owned by the Service. Services
/// without a selector are left to whoever manages their slices. No batching delay: a pod turning
/// Ready is written as soon as a worker takes its Service (`--endpoint-updates-batch-period` 0).
public final class EndpointSliceController: Controller {
    public let name = "endpointslice-controller"
    public let logger: Logger
    public let queue: WorkQueue
    let client: APIClient
    let services: Informer
    let pods: Informer
    let nodes: Informer
    let slices: Informer
    let recorder: EventRecorder
    let tracker = WriteTracker()
    let triggerTimes = TriggerTimeTracker()
    /// `--max-endpoints-per-slice`, 100 by default.
    let maxEndpointsPerSlice: Int

    public static let endpointSlices = APIResource.builtin("endpointslices.discovery.k8s.io")
    public static let services = ServiceMembership.services

    public init(client: APIClient, clock: any WallClock, services: Informer, pods: Informer, nodes: Informer, endpointSlices: Informer,
                recorder: EventRecorder, maxEndpointsPerSlice: Int = 100, logger: Logger? = nil) {
        self.logger = logger ?? Logger(label: "endpointslice-controller")
        self.client = client
        self.services = services
        self.pods = pods
        self.nodes = nodes
        self.slices = endpointSlices
        self.recorder = recorder
        self.maxEndpointsPerSlice = maxEndpointsPerSlice
        self.queue = WorkQueue(clock: clock)
        services.addHandler(ServiceMembership.serviceHandler(queue: queue))
        pods.addHandler(ServiceMembership.podHandler(services: services, queue: queue))
        endpointSlices.addHandler(Informer.Handler(
            onAdd: { [weak self] in self?.sliceChanged($0) },
            onUpdate: { [weak self] _, new in self?.sliceChanged(new) },
            onDelete: { [weak self] in self?.sliceDeleted($0) }))
    }

    /// The Service key of a slice this controller manages.
    static func serviceKey(of slice: JSONValue) -> String? {
        let labels = slice.metaLabels
        guard labels[SlicePlan.managedByLabel] == SlicePlan.managedBy, let svc = labels[SlicePlan.serviceNameLabel], !svc.isEmpty else { return nil }
        return slice.metaNamespace + "/" + svc
    }

    func sliceChanged(_ slice: JSONValue) {
        guard let key = Self.serviceKey(of: slice), tracker.shouldSync(slice, service: key) else { return }
        queue.add(key)
    }

    func sliceDeleted(_ slice: JSONValue) {
        guard let key = Self.serviceKey(of: slice) else { return }
        tracker.observedDeletion(slice.metaName, service: key)
        queue.add(key)
    }

    // MARK: - Reconcile

    public func reconcile(_ key: String) async throws {
        guard let service = services.get(key) else {
            triggerTimes.forget(key)
            tracker.forget(service: key)
            return
        }
        let spec = Service(service).spec
        // ExternalName Services get no endpoints (issue 105986); selector-less ones are the user's.
        guard spec.type != "ExternalName", let selector = spec.selector, !service.isDeleting else { return }
        let selected = ServiceMembership.pods(selectedBy: selector, namespace: service.metaNamespace, in: pods)
        let existing = slices.list(namespace: service.metaNamespace, selector: LabelSelector([
            LabelRequirement(key: SlicePlan.serviceNameLabel, op: .equals, values: [service.metaName]),
            LabelRequirement(key: SlicePlan.managedByLabel, op: .equals, values: [SlicePlan.managedBy]),
        ])).filter { !$0.isDeleting }
        // Our own last write not seen yet: look again shortly (kube-controller-manager logs
        // this at V(4) only, as the normal course of a busy Service).
        guard !tracker.isStale(service: key, slices: existing) else {
            logger.debug("EndpointSlice informer cache is out of date", metadata: ["key": "\(key)"])
            queue.addRateLimited(key)
            return
        }
        let triggerTime = triggerTimes.compute(service: service, pods: selected)
        var plan = SlicePlan(), skipped: [String] = []
        let types = PodEndpoints.addressTypes(service)
        // Slices of another address type, or left by an earlier Service of the same name, go.
        plan.delete = existing.filter { !types.contains(EndpointSlice($0).addressType ?? "") || !SlicePlan.isOwned($0, by: service) }
        for type in types {
            let desired = DesiredEndpoints(service: service, pods: selected, addressType: type, node: { [nodes] in nodes.get($0) })
            skipped += desired.skipped
            let mine = existing.filter { EndpointSlice($0).addressType == type && SlicePlan.isOwned($0, by: service) }
            let p = SlicePlan(service: service, desired: desired, existing: mine, addressType: type,
                              maxEndpointsPerSlice: maxEndpointsPerSlice, triggerTime: triggerTime)
            plan.create += p.create; plan.update += p.update; plan.delete += p.delete
        }
        // As `Reconcile` aggregates them: the pods skipped, then the first failed write.
        var errors = skipped
        do { try await write(plan, service: key) } catch { errors.append("\(error)") }
        guard errors.isEmpty else {
            let message = errors.count == 1 ? errors[0] : "[" + errors.joined(separator: ", ") + "]"
            recorder.event(service, of: Self.services, type: "Warning", reason: "FailedToUpdateEndpointSlices",
                           message: "Error updating Endpoint Slices for Service \(key): \(message)")
            throw ReconcileError(description: message)
        }
    }

    /// Creates, then updates, then deletes, as `finalize` orders them, so that endpoints moving
    /// between slices are never absent.
    func write(_ plan: SlicePlan, service key: String) async throws {
        let ns = String(key.prefix { $0 != "/" })
        for slice in plan.create {
            let created = try await client.create(Self.endpointSlices, namespace: ns, slice)
            tracker.wrote(created, service: key)
        }
        for slice in plan.update {
            let updated = try await client.update(Self.endpointSlices, namespace: ns, slice)
            tracker.wrote(updated, service: key)
        }
        for slice in plan.delete {
            do {
                _ = try await client.delete(Self.endpointSlices, namespace: ns, name: slice.metaName)
            } catch let e as APIStatusError where e.code == 404 {
                // Gone already.
            }
            tracker.deleted(slice.metaName, service: key)
        }
    }

    struct ReconcileError: Error, CustomStringConvertible {
        let description: String
    }
}
