import Foundation
import KubeClient
import KubeModel
import Logging

/// Keeps the core/v1 Endpoints object of each Service with a selector (`pkg/controller/endpoint`):
/// its pods' addresses per port, not-ready ones apart, terminating ones left out, capped at 1000
/// addresses; written only when it changes, and deleted with its Service.
public final class EndpointsController: Controller {
    public let name = "endpoint-controller"
    public let logger: Logger
    public let queue: WorkQueue
    let client: APIClient
    let services: Informer
    let pods: Informer
    let endpoints: Informer
    let recorder: EventRecorder
    let triggerTimes = TriggerTimeTracker()
    /// Our own writes, so a sync on a cache that has not seen the last one does not write again
    /// over it (a conflict): kube-controller-manager's `staleEndpointsTracker`.
    let written = WriteTracker()

    public static let endpointsResource = APIResource.builtin("endpoints")
    static let headlessLabel = "service.kubernetes.io/headless"

    public init(client: APIClient, clock: any WallClock, services: Informer, pods: Informer, endpoints: Informer,
                recorder: EventRecorder, logger: Logger? = nil) {
        self.logger = logger ?? Logger(label: "endpoint-controller")
        self.client = client
        self.services = services
        self.pods = pods
        self.endpoints = endpoints
        self.recorder = recorder
        self.queue = WorkQueue(clock: clock)
        services.addHandler(ServiceMembership.serviceHandler(queue: queue))
        pods.addHandler(ServiceMembership.podHandler(services: services, queue: queue))
        // An Endpoints object deleted under its Service is written again.
        endpoints.addHandler(Informer.Handler(onDelete: { [queue, written] in
            written.observedDeletion($0.metaName, service: Informer.key($0))
            queue.add(Informer.key($0))
        }))
    }

    public func reconcile(_ key: String) async throws {
        let ns = String(key.prefix { $0 != "/" }), name = String(key.drop { $0 != "/" }.dropFirst())
        guard let service = services.get(key) else {
            triggerTimes.forget(key)
            written.forget(service: key)
            // The Service is gone: so are its endpoints (those of a selector-less one too).
            guard endpoints.get(key) != nil else { return }
            do { _ = try await client.delete(Self.endpointsResource, namespace: ns, name: name) } catch let e as APIStatusError where e.code == 404 {}
            return
        }
        let spec = Service(service).spec
        guard spec.type != "ExternalName", let selector = spec.selector else { return }
        let selected = ServiceMembership.pods(selectedBy: selector, namespace: ns, in: pods)
        var subsets = EndpointSubsets.repack(EndpointSubsets.entries(service: service, pods: selected))
        let truncated = EndpointSubsets.truncate(&subsets)

        let current = endpoints.get(key)
        guard !written.isStale(service: key, slices: current.map { [$0] } ?? []) else {
            logger.debug("Endpoints informer cache is out of date", metadata: ["key": "\(key)"])
            queue.addRateLimited(key)
            return
        }
        // Computed once the sync goes ahead: a sync put off for a stale cache must leave the
        // changes it saw to the one that writes.
        let triggerTime = triggerTimes.compute(service: service, pods: selected)
        let creating = current == nil
        let currentSubsets = current?["subsets"]?.arrayValue ?? []
        var currentLabels = current?.metaLabels ?? [:]
        currentLabels[Self.headlessLabel] = nil
        // Compared after truncation, so an over-capacity Service is not rewritten on every sync.
        if let current, EndpointSubsets.equalIgnoringVersions(currentSubsets, subsets), currentLabels == service.metaLabels,
           EndpointSubsets.capacityAnnotationCorrect(current.metaAnnotations, currentSubsets) || truncated && current.metaAnnotations[EndpointSubsets.overCapacityAnnotation] != nil {
            return
        }
        var object = current ?? ["apiVersion": "v1", "kind": "Endpoints", "metadata": ["name": .string(name), "namespace": .string(ns)]]
        object["apiVersion"] = "v1"
        object["kind"] = "Endpoints"
        object["subsets"] = subsets.isEmpty ? nil : .array(subsets)
        var labels = service.metaLabels
        let ip = spec.clusterIP ?? ""
        if ip.isEmpty || ip == "None" { labels[Self.headlessLabel] = "" }
        object.set(["metadata", "labels"], labels.isEmpty ? nil : .object(labels.mapValues { .string($0) }))
        var annotations = current?.metaAnnotations ?? [:]
        annotations[TriggerTimeTracker.annotation] = triggerTime.map(TriggerTimeTracker.format)
        annotations[EndpointSubsets.overCapacityAnnotation] = truncated ? "truncated" : nil
        object.set(["metadata", "annotations"], annotations.isEmpty ? nil : .object(annotations.mapValues { .string($0) }))
        do {
            let stored = creating ? try await client.create(Self.endpointsResource, namespace: ns, object)
                                  : try await client.update(Self.endpointsResource, namespace: ns, object)
            written.wrote(stored, service: key)
        } catch let e as APIStatusError where creating && e.code == 403 {
            // Most often a terminating namespace, which admits no new objects.
            return
        } catch {
            if creating {
                recorder.event(object, of: Self.endpointsResource, type: "Warning", reason: "FailedToCreateEndpoint",
                               message: "Failed to create endpoint for service \(key): \(error)")
            } else {
                recorder.event(object, of: Self.endpointsResource, type: "Warning", reason: "FailedToUpdateEndpoint",
                               message: "Failed to update endpoint \(key): \(error)")
            }
            throw error
        }
    }
}
