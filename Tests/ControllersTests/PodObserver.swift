import Foundation
import KubeClient
import KubeModel
import Synchronization

/// Watches pods and checks, after every change the API server makes, how many are active and
/// how many available: the numbers a rollout's guarantees are about.
final class PodObserver: Sendable {
    struct Stats {
        var maxActive = 0
        var minAvailable = Int.max
        var maxAvailable = 0
        /// Seen at once: an active pod of one image and any pod (even terminating) of another.
        var mixedImages = false
    }
    let informer: Informer
    private let stats = Mutex(Stats())
    private let task: Task<Void, Never>

    init(client: APIClient) async {
        let informer = Informer(client: client, resource: .pods, namespace: "default")
        self.informer = informer
        task = Task { await informer.run() }
        await informer.waitForSync()
        informer.addHandler(Informer.Handler(
            onAdd: { [weak self] _ in self?.record() }, onUpdate: { [weak self] _, _ in self?.record() },
            onDelete: { [weak self] _ in self?.record() }))
    }

    private func record() {
        let pods = informer.list(namespace: "default")
        let active = pods.filter { !$0.isDeleting }
        let available = active.filter(PodConditions.isReady)
        let images = Set(pods.compactMap { $0[path: ["spec", "containers"]]?.arrayValue?.first?["image"]?.stringValue })
        stats.withLock { s in
            s.maxActive = max(s.maxActive, active.count)
            s.minAvailable = min(s.minAvailable, available.count)
            s.maxAvailable = max(s.maxAvailable, available.count)
            if images.count > 1 { s.mixedImages = true }
        }
    }

    var current: Stats { stats.withLock { $0 } }
    func reset() { stats.withLock { $0 = Stats() } }
    func stop() { task.cancel() }
}
