import Foundation
import KubeClient
import KubeModel
import Logging

/// Makes sure every active namespace has a `default` ServiceAccount
/// (`pkg/controller/serviceaccount`): a new namespace gets one, and a deleted one comes back.
/// The ServiceAccount admission plugin then runs pods that name none as `default`.
public final class ServiceAccountsController: Controller {
    public static let serviceAccounts = APIResource.builtin("serviceaccounts")
    public static let ensured = "default"
    public let name = "serviceaccount-controller"
    public let logger: Logger
    public let queue: WorkQueue
    let client: APIClient
    let namespaces: Informer
    let accounts: Informer

    public init(client: APIClient, clock: any WallClock, namespaces: Informer, serviceAccounts: Informer, logger: Logger? = nil) {
        self.logger = logger ?? Logger(label: "serviceaccount-controller")
        self.client = client
        self.namespaces = namespaces
        self.accounts = serviceAccounts
        queue = WorkQueue(clock: clock)
        namespaces.addHandler(Informer.Handler(onAdd: { [queue] ns in queue.add(ns.metaName) }, onUpdate: { [queue] _, ns in queue.add(ns.metaName) }))
        serviceAccounts.addHandler(Informer.Handler(onDelete: { [queue] sa in
            if sa.metaName == Self.ensured { queue.add(sa.metaNamespace) }
        }))
    }

    public func reconcile(_ key: String) async throws {
        guard let ns = namespaces.get(key), Namespace(ns).status.phase == "Active",
            accounts.get(namespace: key, name: Self.ensured) == nil
        else { return }
        do {
            _ = try await client.create(Self.serviceAccounts, namespace: key, ["metadata": ["name": .string(Self.ensured)]])
        } catch let e as APIStatusError where e.code == 409 {}
    }
}
