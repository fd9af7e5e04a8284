import Foundation
import KubeClient
import KubeModel
import Logging
import Synchronization

/// The Ingress controller's control loop, as ingress-nginx's: at start it makes sure the
/// `kplane` IngressClass exists (the cluster's default); it rebuilds the routing table whenever
/// an Ingress or IngressClass changes, and writes `status.loadBalancer` of the Ingresses it
/// serves (the address its listener answers on, as kind's ingress-nginx publishes `localhost`).
public final class IngressController: Controller {
    public static let ingresses = APIResource.builtin("ingresses.networking.k8s.io")
    public static let ingressClasses = APIResource.builtin("ingressclasses.networking.k8s.io")

    public let name = "ingress-controller"
    public let logger: Logger
    public let queue: WorkQueue
    let client: APIClient
    public let ingressInformer: Informer
    public let classInformer: Informer
    /// Read only when the controller serves HTTPS (the TLS Secrets of `spec.tls`).
    public let secretInformer: Informer?
    public let certificates: IngressCertificates?
    /// What `status.loadBalancer.ingress` says: where the listener answers.
    let address: JSONValue
    private let table = Mutex(IngressRouter([]))

    public init(client: APIClient, clock: any WallClock, informers: SharedInformers, certificates: IngressCertificates? = nil,
                statusIP: String = "127.0.0.1", logger: Logger? = nil) {
        self.logger = logger ?? Logger(label: "ingress-controller")
        self.client = client
        queue = WorkQueue(clock: clock)
        ingressInformer = informers.informer(Self.ingresses)
        classInformer = informers.informer(Self.ingressClasses)
        address = [["ip": .string(statusIP)]]
        self.certificates = certificates
        secretInformer = certificates == nil ? nil : informers.informer(.secrets)
        secretInformer?.addHandler(Informer.Handler(
            onAdd: { [weak self] in self?.secretChanged($0) },
            onUpdate: { [weak self] _, new in self?.secretChanged(new) },
            onDelete: { [weak self] in self?.secretChanged($0) }))
        ingressInformer.addHandler(Informer.Handler(
            onAdd: { [weak self] in self?.changed(ingress: $0) },
            onUpdate: { [weak self] _, new in self?.changed(ingress: new) },
            onDelete: { [weak self] _ in self?.rebuild() }))
        classInformer.addHandler(Informer.Handler(
            onAdd: { [weak self] _ in self?.classesChanged() },
            onUpdate: { [weak self] _, _ in self?.classesChanged() },
            onDelete: { [weak self] _ in self?.classesChanged() }))
    }

    /// The routing table as of the last change.
    public var router: IngressRouter { table.withLock { $0 } }

    /// Creates the `kplane` IngressClass unless one of that name exists (a user's edits stay).
    public func ensureIngressClass() async throws {
        do {
            _ = try await client.create(Self.ingressClasses, namespace: nil, IngressClassPolicy.ingressClass)
            logger.info("Created IngressClass \(IngressClassPolicy.className) (controller \(IngressClassPolicy.controllerName), default)")
        } catch let e as APIStatusError where e.code == 409 {}
    }

    /// Syncs the informers (running them too unless their owner does), creates the class, and
    /// runs the status worker until cancelled.
    public func run(ownInformers: Bool = true) async {
        await withTaskGroup(of: Void.self) { group in
            if ownInformers {
                group.addTask { [ingressInformer] in await ingressInformer.run() }
                group.addTask { [classInformer] in await classInformer.run() }
                if let secrets = secretInformer { group.addTask { await secrets.run() } }
            }
            await ingressInformer.waitForSync()
            await classInformer.waitForSync()
            await secretInformer?.waitForSync()
            do { try await ensureIngressClass() } catch { logger.error("Cannot create IngressClass \(IngressClassPolicy.className): \(error)") }
            rebuild()
            await withTaskCancellationHandler {
                await run(workers: 1)
            } onCancel: {
                queue.shutDown()
            }
            group.cancelAll()
        }
    }

    /// Writes the listener's address into a served Ingress's status, if it says otherwise.
    public func reconcile(_ key: String) async throws {
        guard let object = ingressInformer.get(key) else { return }
        let ingress = Ingress(object)
        guard IngressClassPolicy.serves(ingress, classes: classes), !ingress.metadata.isDeleting else { return }
        if ingress.status.loadBalancer.json["ingress"] == address { return }
        _ = try await client.patch(Self.ingresses, namespace: ingress.metadata.namespace, name: ingress.metadata.name,
                                   ["status": ["loadBalancer": ["ingress": address]]], type: "application/merge-patch+json", subresource: "status")
    }

    private var classes: [IngressClass] { classInformer.list().map(IngressClass.init) }

    private func changed(ingress: JSONValue) {
        rebuild()
        queue.add(Informer.key(ingress))
    }

    private func classesChanged() {
        rebuild()
        for o in ingressInformer.list() { queue.add(Informer.key(o)) }
    }

    /// A new table from the cache; requests in flight keep the one they read.
    func rebuild() {
        let classes = self.classes
        let served = ingressInformer.list().map(Ingress.init).filter {
            IngressClassPolicy.serves($0, classes: classes) && !$0.metadata.isDeleting
        }
        let router = IngressRouter(served)
        table.withLock { $0 = router }
        if let certificates, let secrets = secretInformer { certificates.update(Self.keyPairs(served, secrets)) }
    }

    /// The TLS Secret of each host of the served Ingresses' `spec.tls`, oldest Ingress first;
    /// a missing or malformed Secret leaves the host on the default certificate.
    static func keyPairs(_ ingresses: [Ingress], _ secrets: Informer) -> [String: IngressCertificates.KeyPair] {
        var table: [String: IngressCertificates.KeyPair] = [:]
        for ingress in ingresses.sorted(by: { ($0.metadata.creationTimestamp ?? .distantPast) < ($1.metadata.creationTimestamp ?? .distantPast) }) {
            for tls in ingress.spec.tls {
                guard let name = tls.secretName, let secret = secrets.get(namespace: ingress.metadata.namespace, name: name),
                      let pair = IngressCertificates.KeyPair(secret: secret) else { continue }
                for host in tls.hosts where table[host.lowercased()] == nil { table[host.lowercased()] = pair }
            }
        }
        return table
    }

    private func secretChanged(_ secret: JSONValue) {
        // Only Secrets a served Ingress names matter.
        let name = secret.metaName, namespace = secret.metaNamespace
        let named = router.namesSecret(namespace: namespace, name: name)
        if named { rebuild() }
    }
}
