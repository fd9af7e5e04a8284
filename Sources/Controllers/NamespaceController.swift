import Foundation
import KubeClient
import KubeModel
import Logging

/// Empties a terminating namespace (`pkg/controller/namespace`): deletes every object in it,
/// waits for the last one to go, then removes the `kubernetes` finalizer through
/// `namespaces/finalize`, after which the API server deletes the namespace.
public final class NamespaceController: Controller {
    public let name = "namespace-controller"
    public let logger: Logger
    public let queue: WorkQueue
    let client: APIClient
    let namespaces: Informer
    let contents: [Informer]

    public init(client: APIClient, clock: any WallClock, namespaces: Informer, contents: [Informer], logger: Logger? = nil) {
        self.logger = logger ?? Logger(label: "namespace-controller")
        self.client = client
        self.namespaces = namespaces
        self.contents = contents.filter { $0.resource.namespaced }
        queue = WorkQueue(clock: clock)
        let enqueueIfTerminating: @Sendable (JSONValue) -> Void = { [queue] ns in if ns.isDeleting { queue.add(ns.metaName) } }
        namespaces.addHandler(Informer.Handler(onAdd: enqueueIfTerminating, onUpdate: { enqueueIfTerminating($1) }))
        // The last object of a terminating namespace going lets the namespace go.
        for informer in self.contents {
            informer.addHandler(Informer.Handler(onDelete: { [weak self] o in
                guard let self, let ns = namespaces.get(o.metaNamespace), ns.isDeleting else { return }
                queue.add(ns.metaName)
            }))
        }
    }

    public func reconcile(_ key: String) async throws {
        guard let ns = namespaces.get(key), ns.isDeleting else { return }
        var remaining = 0
        for informer in contents {
            let items = informer.list(namespace: ns.metaName)
            remaining += items.count
            if items.contains(where: { !$0.isDeleting }) {
                _ = try await client.call("DELETE", informer.resource.path(namespace: ns.metaName),
                                          body: ["apiVersion": "v1", "kind": "DeleteOptions", "propagationPolicy": "Background"])
            }
        }
        guard remaining == 0 else { return }
        let finalizers = Namespace(ns).spec.finalizers.filter { $0 != "kubernetes" }
        var finalized = ns
        finalized.set(["spec", "finalizers"], .array(finalizers.map(JSONValue.string)))
        do {
            _ = try await client.call("PUT", APIResource.namespaces.path(namespace: nil, name: ns.metaName, subresource: "finalize"), body: finalized)
        } catch let e as APIStatusError where e.code == 404 {}
    }
}
