import Foundation
import KubeClient
import KubeModel
import Synchronization

/// Maps a `scaleTargetRef` (apiVersion and kind) to the resource whose `/scale` the HPA reads,
/// as the controller's RESTMapper does: kplane's own kinds first, then the server's discovery
/// (custom resources with a scale subresource), asked again when a kind is not found, at most
/// once per `refreshAfter`.
final class ScaleTargets: Sendable {
    static let refreshAfter: TimeInterval = 10
    let client: APIClient
    let clock: any WallClock
    private let discovered = Mutex<(resources: [APIResource], at: Date?)>(([], nil))

    init(client: APIClient, clock: any WallClock) {
        self.client = client
        self.clock = clock
    }

    struct NoMatch: Error, CustomStringConvertible {
        let kind: String, group: String
        var description: String { "unable to determine resource for scale target reference: no matches for kind \"\(kind)\" in group \"\(group)\"" }
    }

    func resource(for ref: CrossVersionObjectReference) async throws -> APIResource {
        let parts = (ref.apiVersion ?? "").split(separator: "/").map(String.init)
        let group = parts.count == 2 ? parts[0] : ""
        let version = parts.last ?? ""
        if let info = ResourceCatalog.builtin.all.first(where: {
            $0.kind == ref.kind && $0.group == group && $0.hasScale && (version.isEmpty || $0.version == version)
        }) {
            return APIResource(info)
        }
        let match = { (r: [APIResource]) in r.first { $0.kind == ref.kind && $0.group == group && (version.isEmpty || $0.version == version) } }
        let (known, at) = discovered.withLock { ($0.resources, $0.at) }
        if let r = match(known) { return r }
        if at.map({ clock.now().timeIntervalSince($0) < Self.refreshAfter }) != true {
            let fresh = try await Discovery.fetch(client: client).resources
            discovered.withLock { [now = clock.now()] in $0 = (fresh, now) }
            if let r = match(fresh) { return r }
        }
        throw NoMatch(kind: ref.kind, group: group)
    }
}
