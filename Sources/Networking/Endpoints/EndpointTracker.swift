import KubeClient
import KubeModel
import Logging
import Synchronization

/// Each Service's endpoints, from informers on Services and EndpointSlices (read through the
/// API, never the store), for the Service proxy and the Ingress controller.
///
/// Ask `endpoints(of:port:)` when a connection or request needs a backend; register `onChange`
/// to hear when a Service or its slices changed. The tracker keeps no copy of its own: it reads
/// the informers' caches, so its answers are as fresh as the last watch event.
public final class EndpointTracker: Sendable {
    /// The label an EndpointSlice names its Service with.
    public static let serviceNameLabel = "kubernetes.io/service-name"
    public static let services = APIResource.builtin("services")
    public static let endpointSlices = APIResource.builtin("endpointslices.discovery.k8s.io")

    /// The informers the tracker reads; whoever owns them runs them (`kplane up` runs them with
    /// the controllers' shared set).
    public let services: Informer
    public let endpointSlices: Informer
    /// When set, endpoints on simulated nodes resolve to where their simulated pod answers
    /// (`SimulatedPodAddress`).
    public let nodes: Informer?
    private let handlers = Mutex<[@Sendable (ServiceKey) -> Void]>([])

    public init(services: Informer, endpointSlices: Informer, nodes: Informer? = nil) {
        self.services = services
        self.endpointSlices = endpointSlices
        self.nodes = nodes
        services.addHandler(Informer.Handler(
            onAdd: { [weak self] in self?.serviceChanged($0) },
            onUpdate: { [weak self] _, new in self?.serviceChanged(new) },
            onDelete: { [weak self] in self?.serviceChanged($0) }))
        endpointSlices.addHandler(Informer.Handler(
            onAdd: { [weak self] in self?.sliceChanged($0) },
            onUpdate: { [weak self] old, new in
                self?.sliceChanged(new)
                // A slice relabelled to another Service changed the old one too.
                if Informer.labels(old)[Self.serviceNameLabel] != Informer.labels(new)[Self.serviceNameLabel] { self?.sliceChanged(old) }
            },
            onDelete: { [weak self] in self?.sliceChanged($0) }))
    }

    /// A tracker over the shared informers for Services and EndpointSlices (and Nodes, to
    /// reach simulated pods, unless `simulatedPods` is false).
    public convenience init(informers: SharedInformers, simulatedPods: Bool = true) {
        self.init(services: informers.informer(Self.services), endpointSlices: informers.informer(Self.endpointSlices),
                  nodes: simulatedPods ? informers.informer(.nodes) : nil)
    }

    /// Returns once both informers hold their first list.
    public func waitForSync() async {
        await services.waitForSync()
        await endpointSlices.waitForSync()
    }

    /// The Service, if it exists.
    public func service(_ key: ServiceKey) -> Service? {
        services.get(namespace: key.namespace, name: key.name).map(Service.init)
    }

    /// The endpoints traffic to `port` of the Service may go to: ready ones, or when none is
    /// ready those serving while terminating; empty when the Service, the port or every
    /// endpoint is missing. Sorted by address. An endpoint on a simulated node comes with the
    /// address its simulated pod answers on (`pod` and `nodeName` still name it).
    public func endpoints(of key: ServiceKey, port: ServicePortReference) -> [ServiceEndpoint] {
        guard let service = service(key) else { return [] }
        let selected = EndpointSelection.endpoints(of: service, port: port, slices: slices(of: key))
        guard let nodes else { return selected }
        return selected.map { e in
            guard let node = e.nodeName, let n = nodes.get(node), Informer.labels(n)["type"] == SimulatedPodAddress.nodeType,
                  let at = SimulatedPodAddress.answering(ip: e.ip, port: e.port) else { return e }
            return ServiceEndpoint(ip: at.ip, port: at.port, nodeName: e.nodeName, pod: e.pod, ready: e.ready)
        }
    }

    /// The Service's EndpointSlices.
    public func slices(of key: ServiceKey) -> [EndpointSlice] {
        let selector = LabelSelector([LabelRequirement(key: Self.serviceNameLabel, op: .equals, values: [key.name])])
        return endpointSlices.list(namespace: key.namespace, selector: selector).map(EndpointSlice.init)
    }

    /// Calls `handler` with a Service's key after the Service or one of its slices was added,
    /// changed or deleted (and once for each Service already known). The handler runs on the
    /// informer's task with no lock held; it should only note the key (e.g. `WorkQueue.add`),
    /// which keeps what is pending bounded by the number of Services.
    public func onChange(_ handler: @escaping @Sendable (ServiceKey) -> Void) {
        handlers.withLock { $0.append(handler) }
        for o in services.list() { handler(Self.key(o)) }
    }

    private func serviceChanged(_ o: JSONValue) { notify(Self.key(o)) }

    private func sliceChanged(_ o: JSONValue) {
        guard let name = Informer.labels(o)[Self.serviceNameLabel] else { return }
        notify(ServiceKey(namespace: o.metaNamespace, name: name))
    }

    private func notify(_ key: ServiceKey) {
        let current = handlers.withLock { $0 }
        for h in current { h(key) }
    }

    static func key(_ o: JSONValue) -> ServiceKey {
        ServiceKey(namespace: o.metaNamespace, name: o.metaName)
    }
}
