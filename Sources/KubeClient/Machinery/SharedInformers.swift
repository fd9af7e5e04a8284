import Foundation
import KubeModel
import Logging
import Synchronization

/// One informer per resource, shared by every controller that reads it (client-go's
/// `SharedInformerFactory`): one list and one watch per resource however many readers.
public final class SharedInformers: Sendable {
    let client: APIClient
    let logger: Logger
    private let informers = Mutex<[String: Informer]>([:])

    public init(client: APIClient, logger: Logger = Logger(label: "informer")) {
        self.client = client
        self.logger = logger
    }

    public func informer(_ resource: APIResource) -> Informer {
        informers.withLock { m in
            if let existing = m[resource.qualifiedPlural] { return existing }
            let made = Informer(client: client, resource: resource, logger: logger)
            m[resource.qualifiedPlural] = made
            return made
        }
    }

    public var all: [Informer] { informers.withLock { Array($0.values) } }

    /// Every stored resource kplane serves, once per storage (HPA v1 and v2 share one), for
    /// controllers that look at everything: the garbage collector and the namespace controller.
    public static var everyResource: [APIResource] {
        var seen = Set<String>()
        return ResourceCatalog.all.filter { $0.definition.isStored && $0.kind != "Event" && seen.insert($0.storageKey).inserted }.map(APIResource.init)
    }
}
