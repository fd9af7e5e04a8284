import Foundation
import KubeClient
import KubeModel

/// The level-triggered half of Kubernetes' garbage collector: an object whose owners are all
/// gone is deleted, and references to owners that are gone are dropped from an object that
/// still has a live owner. This catches what a cascade at deletion time cannot: a dependent
/// created from a stale cache just after its owner was deleted. (The API server runs the
/// cascades themselves, background, foreground and orphan, as the owner is deleted.)
public final class GarbageCollector: Controller {
    public let name = "garbage-collector"
    public let queue: WorkQueue
    let client: APIClient
    /// Dependents we watch, by resource, with the informers of their possible owners.
    let dependents: [String: Informer]
    let owners: [String: Informer]

    public init(client: APIClient, clock: any WallClock, dependents: [Informer], owners: [Informer]) {
        self.client = client
        queue = WorkQueue(clock: clock)
        self.dependents = Dictionary(uniqueKeysWithValues: dependents.map { ($0.resource.qualifiedPlural, $0) })
        self.owners = Dictionary(uniqueKeysWithValues: owners.map { ("\($0.resource.groupVersion)/\($0.resource.kind)", $0) })
        for informer in dependents {
            let resource = informer.resource.qualifiedPlural
            let enqueue: @Sendable (JSONValue) -> Void = { [queue] o in
                if !o.ownerReferences.isEmpty { queue.add(resource + "|" + Informer.key(o)) }
            }
            informer.addHandler(Informer.Handler(onAdd: enqueue, onUpdate: { enqueue($1) }))
        }
        for informer in owners {
            informer.addHandler(Informer.Handler(onDelete: { [weak self] owner in
                guard let self else { return }
                for (resource, dep) in self.dependents {
                    for o in dep.owned(by: owner.uid) { self.queue.add(resource + "|" + Informer.key(o)) }
                }
            }))
        }
    }

    public func reconcile(_ key: String) async throws {
        guard let bar = key.firstIndex(of: "|"), let informer = dependents[String(key[..<bar])] else { return }
        let resource = informer.resource
        guard let object = informer.get(String(key[key.index(after: bar)...])), !object.isDeleting else { return }
        let refs = object.ownerReferences
        var live: [JSONValue] = []
        for ref in refs where try await ownerExists(ref, namespace: object.metaNamespace) { live.append(ref) }
        if live.count == refs.count { return }
        if live.isEmpty {
            do {
                _ = try await client.call("DELETE", resource.path(namespace: object.metaNamespace, name: object.metaName),
                                          body: ["apiVersion": "v1", "kind": "DeleteOptions", "propagationPolicy": "Background",
                                                 "preconditions": ["uid": .string(object.uid)]])
            } catch let e as APIStatusError where e.code == 404 || e.code == 409 {}
            return
        }
        let patch: JSONValue = ["metadata": ["ownerReferences": .array(live), "resourceVersion": .string(object.resourceVersion)]]
        _ = try await client.patch(resource, namespace: object.metaNamespace, name: object.metaName, patch, type: "application/merge-patch+json")
    }

    /// An owner exists when an object of its kind, name and uid does; the cache answers yes,
    /// only the API server answers no.
    func ownerExists(_ ref: JSONValue, namespace: String) async throws -> Bool {
        let apiVersion = ref["apiVersion"]?.stringValue ?? "", kind = ref["kind"]?.stringValue ?? ""
        let name = ref["name"]?.stringValue ?? "", uid = ref["uid"]?.stringValue ?? ""
        if let cached = owners["\(apiVersion)/\(kind)"]?.get(namespace: namespace, name: name), cached.uid == uid { return true }
        guard let info = ResourceCatalog.find(apiVersion: apiVersion, kind: kind) else { return true }
        let r = APIResource(info)
        do {
            return try await client.get(r, namespace: r.namespaced ? namespace : nil, name: name).uid == uid
        } catch let e as APIStatusError where e.code == 404 {
            return false
        }
    }
}
