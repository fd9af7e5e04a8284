import Foundation
import KubeClient
import KubeModel

/// Lists and watches one object by name (client-go's `UntilWithSync` with a `metadata.name`
/// field selector) until a check on its state (nil once deleted) passes or a deadline passes.
struct ObjectWatch: Sendable {
    let client: any APIClient
    /// The collection the object is in (`/apis/apps/v1/namespaces/default/deployments`).
    let collection: String
    let name: String

    func until(_ deadline: Date, timeoutMessage: String, _ check: @escaping @Sendable (JSONValue?) throws -> Bool) async throws {
        let remaining = deadline.timeIntervalSinceNow
        guard remaining > 0 else { throw KctlError(timeoutMessage) }
        let watching = Task { try await follow(check) }
        let timer = Task {
            try await Task.sleep(for: .seconds(remaining))
            watching.cancel()
        }
        defer { timer.cancel() }
        do {
            try await watching.value
        } catch {
            if watching.isCancelled { throw KctlError(timeoutMessage) }
            throw error
        }
    }

    private func follow(_ check: (JSONValue?) throws -> Bool) async throws {
        let byName = ("fieldSelector", "metadata.name=\(name)")
        while true {
            let list = ObjectList(try await client.call("GET", collection, query: [byName]))
            if try check(list.items.first) { return }
            let rv = list.metadata.resourceVersion ?? "0"
            for try await event in client.watch(path: collection, query: [
                byName, ("resourceVersion", rv), ("watch", "true"), ("allowWatchBookmarks", "true"), ("timeoutSeconds", "300"),
            ], accept: "application/json") {
                switch event.type {
                case "ADDED", "MODIFIED": if try check(event.object) { return }
                case "DELETED": if try check(nil) { return }
                default: continue
                }
            }
            try Task.checkCancellation()
        }
    }
}
