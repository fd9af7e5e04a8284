import KubeClient
import KubeModel

/// Which Services select a pod (client-go's `GetPodServiceMemberships`), and the pod handlers
/// both endpoint controllers put on the pod informer: a pod change queues the Services that
/// select it before and after.
enum ServiceMembership {
    static let services = APIResource.builtin("services")

    /// Keys of the Services of the pod's namespace whose selector matches its labels. A Service
    /// without a selector selects nothing; an empty selector selects every pod, as
    /// `labels.Set{}.AsSelector()` does.
    static func services(selecting pod: JSONValue, in services: Informer) -> Set<String> {
        let labels = pod.metaLabels
        var keys = Set<String>()
        for svc in services.list(namespace: pod.metaNamespace) {
            guard let selector = Service(svc).spec.selector else { continue }
            if selector.allSatisfy({ labels[$0.key] == $0.value }) { keys.insert(Informer.key(svc)) }
        }
        return keys
    }

    /// The pods a Service's `selector` selects, from the pod informer's label index.
    static func pods(selectedBy selector: [String: String], namespace: String, in pods: Informer) -> [JSONValue] {
        let requirements = selector.sorted { $0.key < $1.key }.map { LabelRequirement(key: $0.key, op: .equals, values: [$0.value]) }
        return pods.list(namespace: namespace, selector: LabelSelector(requirements))
    }

    /// The handler that queues the Services of each pod change on `queue`.
    static func podHandler(services: Informer, queue: WorkQueue) -> Informer.Handler {
        Informer.Handler(
            onAdd: { pod in
                for key in Self.services(selecting: pod, in: services) { queue.add(key) }
            },
            onUpdate: { old, new in
                guard old.resourceVersion != new.resourceVersion, PodEndpoints.changed(old, new) else { return }
                var keys = Self.services(selecting: new, in: services)
                if old.metaLabels != new.metaLabels { keys.formUnion(Self.services(selecting: old, in: services)) }
                for key in keys { queue.add(key) }
            },
            onDelete: { pod in
                for key in Self.services(selecting: pod, in: services) { queue.add(key) }
            })
    }

    /// The handler that queues a Service on each change of it.
    static func serviceHandler(queue: WorkQueue) -> Informer.Handler {
        Informer.Handler(
            onAdd: { queue.add(Informer.key($0)) },
            onUpdate: { _, new in queue.add(Informer.key(new)) },
            onDelete: { queue.add(Informer.key($0)) })
    }
}
