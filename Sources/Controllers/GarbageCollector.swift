import Foundation
import KubeClient
import KubeModel
import Logging

/// Kubernetes' garbage collector over `ownerReferences`, level-triggered:
/// - an object whose owners are all gone is deleted (background cascade: owners go first,
///   dependents follow); references to gone owners are dropped while a live owner remains;
/// - an owner deleted with `propagationPolicy: Orphan` carries the `orphan` finalizer: its
///   dependents lose their reference to it, then the finalizer goes and so does the owner;
/// - an owner deleted with `Foreground` carries `foregroundDeletion`: its dependents are
///   deleted (in the foreground too) and the finalizer goes once none is left.
public final class GarbageCollector: Controller {
    public let name = "garbage-collector"
    public let logger: Logger
    public let queue: WorkQueue
    let client: APIClient
    /// Informers by qualified plural (`replicasets.apps`) and by `apiVersion/kind`.
    let informers: [String: Informer]
    let byKind: [String: Informer]

    public init(client: APIClient, clock: any WallClock, informers list: [Informer], logger: Logger? = nil) {
        self.logger = logger ?? Logger(label: "garbage-collector")
        self.client = client
        queue = WorkQueue(clock: clock)
        informers = Dictionary(uniqueKeysWithValues: list.map { ($0.resource.qualifiedPlural, $0) })
        byKind = Dictionary(list.map { ("\($0.resource.groupVersion)/\($0.resource.kind)", $0) }, uniquingKeysWith: { a, _ in a })
        for informer in list {
            let resource = informer.resource.qualifiedPlural
            informer.addHandler(Informer.Handler(
                onAdd: { [weak self] in self?.observe(resource, $0) },
                onUpdate: { [weak self] in self?.observe(resource, $1) },
                onDelete: { [weak self] in self?.gone($0) }))
        }
    }

    static let finalizers: Set<String> = ["orphan", "foregroundDeletion"]

    func observe(_ resource: String, _ o: JSONValue) {
        if !o.ownerReferences.isEmpty || (o.isDeleting && !Self.finalizers.isDisjoint(with: o.finalizers)) {
            queue.add(resource + "|" + Informer.key(o))
        }
        // A dependent that started terminating may be what a foreground owner waits for.
        if o.isDeleting { enqueueOwners(of: o) }
    }

    /// An object is gone: its dependents may be orphans now, its owners may be done waiting.
    func gone(_ o: JSONValue) {
        for (resource, informer) in informers {
            for d in informer.owned(by: o.uid) { queue.add(resource + "|" + Informer.key(d)) }
        }
        enqueueOwners(of: o)
    }

    func enqueueOwners(of o: JSONValue) {
        for ref in o.metadata.ownerReferences {
            guard let informer = byKind["\(ref.apiVersion)/\(ref.kind)"], !ref.name.isEmpty else { continue }
            let ns = informer.resource.namespaced ? o.metaNamespace : nil
            if let owner = informer.get(namespace: ns, name: ref.name), owner.uid == ref.uid, owner.isDeleting {
                queue.add(informer.resource.qualifiedPlural + "|" + Informer.key(owner))
            }
        }
    }

    func dependents(of owner: JSONValue) -> [(APIResource, JSONValue)] {
        informers.values.flatMap { i in i.owned(by: owner.uid).map { (i.resource, $0) } }
    }

    public func reconcile(_ key: String) async throws {
        guard let bar = key.firstIndex(of: "|"), let informer = informers[String(key[..<bar])] else { return }
        guard let object = informer.get(String(key[key.index(after: bar)...])) else { return }
        let resource = informer.resource
        if object.isDeleting {
            if object.finalizers.contains("orphan") { return try await orphanDependents(of: object, resource) }
            if object.finalizers.contains("foregroundDeletion") { return try await deleteDependentsFirst(of: object, resource) }
            return
        }
        let refs = object.ownerReferences
        guard !refs.isEmpty else { return }
        var live: [JSONValue] = []
        for ref in refs where try await ownerExists(OwnerReference(ref), namespace: object.metaNamespace) { live.append(ref) }
        if live.count == refs.count { return }
        if live.isEmpty {
            try await delete(object, resource, policy: "Background")
            return
        }
        try await setOwnerReferences(object, resource, live)
    }

    private func orphanDependents(of owner: JSONValue, _ resource: APIResource) async throws {
        for (r, d) in dependents(of: owner) {
            try await setOwnerReferences(d, r, d.ownerReferences.filter { OwnerReference($0).uid != owner.uid })
        }
        try await removeFinalizer("orphan", from: owner, resource)
    }

    private func deleteDependentsFirst(of owner: JSONValue, _ resource: APIResource) async throws {
        let deps = dependents(of: owner)
        for (r, d) in deps where !d.isDeleting { try await delete(d, r, policy: "Foreground") }
        // Dependents still terminating keep the owner; their deletion requeues it.
        if deps.isEmpty { try await removeFinalizer("foregroundDeletion", from: owner, resource) }
    }

    private func delete(_ o: JSONValue, _ r: APIResource, policy: String) async throws {
        do {
            _ = try await client.call("DELETE", r.path(namespace: r.namespaced ? o.metaNamespace : nil, name: o.metaName),
                                      body: ["apiVersion": "v1", "kind": "DeleteOptions", "propagationPolicy": .string(policy),
                                             "preconditions": ["uid": .string(o.uid)]])
        } catch let e as APIStatusError where e.code == 404 || e.code == 409 {}
    }

    private func setOwnerReferences(_ o: JSONValue, _ r: APIResource, _ refs: [JSONValue]) async throws {
        let patch: JSONValue = ["metadata": ["ownerReferences": refs.isEmpty ? .null : .array(refs), "resourceVersion": .string(o.resourceVersion)]]
        do {
            _ = try await client.patch(r, namespace: r.namespaced ? o.metaNamespace : nil, name: o.metaName, patch, type: "application/merge-patch+json")
        } catch let e as APIStatusError where e.code == 404 {}
    }

    private func removeFinalizer(_ finalizer: String, from o: JSONValue, _ r: APIResource) async throws {
        let rest = o.finalizers.filter { $0 != finalizer }
        let patch: JSONValue = ["metadata": ["finalizers": rest.isEmpty ? .null : .array(rest.map { .string($0) }), "resourceVersion": .string(o.resourceVersion)]]
        do {
            _ = try await client.patch(r, namespace: r.namespaced ? o.metaNamespace : nil, name: o.metaName, patch, type: "application/merge-patch+json")
        } catch let e as APIStatusError where e.code == 404 {}
    }

    /// An owner exists when an object of its kind, name and uid does; the cache may say yes,
    /// only the API server says no.
    func ownerExists(_ ref: OwnerReference, namespace: String) async throws -> Bool {
        let apiVersion = ref.apiVersion, kind = ref.kind, name = ref.name, uid = ref.uid
        guard let info = ResourceCatalog.find(apiVersion: apiVersion, kind: kind) else { return true }
        let r = APIResource(info)
        if let cached = byKind["\(apiVersion)/\(kind)"]?.get(namespace: r.namespaced ? namespace : nil, name: name), cached.uid == uid { return true }
        do {
            return try await client.get(r, namespace: r.namespaced ? namespace : nil, name: name).uid == uid
        } catch let e as APIStatusError where e.code == 404 {
            return false
        }
    }
}
