import Foundation
import Testing
@testable import APIServer
@testable import KubeModel

@Suite struct WatchTests {
    func take(_ handle: WatchHandle, _ n: Int) async -> [WatchOutput] {
        var out: [WatchOutput] = []
        for await e in handle.events {
            out.append(e)
            if out.count == n { break }
        }
        return out
    }

    @Test func initialEventsThenChanges() async throws {
        let api = try await newAPI()
        _ = try await api.create(configmaps, namespace: "default", body: ["metadata": ["name": "a"]])
        let h = try api.watch(configmaps, namespace: "default", options: .init())
        _ = try await api.create(configmaps, namespace: "default", body: ["metadata": ["name": "b"]])
        _ = try await api.delete(configmaps, namespace: "default", name: "a")
        let events = await take(h, 3)
        h.cancel()
        #expect(events.map(\.type) == ["ADDED", "ADDED", "DELETED"])
        #expect(events.map { $0.object[path: ["metadata", "name"]]?.stringValue ?? "" } == ["a", "b", "a"])
    }

    @Test func fromRevisionSkipsOlderAndSelectorTransitionsBecomeAddedDeleted() async throws {
        let api = try await newAPI()
        _ = try await api.create(configmaps, namespace: "default", body: ["metadata": ["name": "x", "labels": ["on": "no"]]])
        var o = ListOptions()
        o.resourceVersion = String(api.store.currentRevision)
        o.labelSelector = "on=yes"
        let h = try api.watch(configmaps, namespace: "default", options: o)
        _ = try await api.patch(configmaps, namespace: "default", name: "x", type: .merge, patch: ["metadata": ["labels": ["on": "yes"]]])
        _ = try await api.patch(configmaps, namespace: "default", name: "x", type: .merge, patch: ["data": ["k": "v"]])
        _ = try await api.patch(configmaps, namespace: "default", name: "x", type: .merge, patch: ["metadata": ["labels": ["on": "no"]]])
        let events = await take(h, 3)
        h.cancel()
        #expect(events.map(\.type) == ["ADDED", "MODIFIED", "DELETED"])
    }

    @Test func sendInitialEventsEndsWithAnnotatedBookmark() async throws {
        let api = try await newAPI()
        _ = try await api.create(configmaps, namespace: "default", body: ["metadata": ["name": "a"]])
        var o = ListOptions()
        o.sendInitialEvents = true
        o.allowWatchBookmarks = true
        let h = try api.watch(configmaps, namespace: "default", options: o)
        let events = await take(h, 2)
        h.cancel()
        #expect(events.map(\.type) == ["ADDED", "BOOKMARK"])
        #expect(events[1].object[path: ["metadata", "annotations", "k8s.io/initial-events-end"]] == "true")
    }

    @Test func periodicBookmarksCarryTheCurrentRevision() async throws {
        let api = try await newAPI()
        var o = ListOptions()
        o.resourceVersion = String(api.store.currentRevision)
        o.allowWatchBookmarks = true
        let h = try api.watch(configmaps, namespace: "default", options: o, bookmarkInterval: .milliseconds(10))
        let events = await take(h, 1)
        h.cancel()
        #expect(events.first?.type == "BOOKMARK")
        #expect(events.first?.object[path: ["metadata", "resourceVersion"]] == .string(String(api.store.currentRevision)))
    }

    @Test func compactedRevisionGets410() async throws {
        let api = APIService(store: try Store(path: nil, historyLimit: 3))
        try await api.bootstrap()
        for i in 0..<10 { _ = try await api.create(configmaps, namespace: "default", body: ["metadata": ["name": .string("c\(i)")]]) }
        var o = ListOptions()
        o.resourceVersion = "2"
        let h = try api.watch(configmaps, namespace: "default", options: o)
        let events = await take(h, 1)
        #expect(events.first?.type == "ERROR")
        #expect(events.first?.object["code"] == 410)
        #expect(events.first?.object["reason"] == "Expired")
        o.resourceVersion = "abc"
        #expect(throws: APIError.self) { try api.watch(configmaps, namespace: "default", options: o) }
    }

    @Test func cancelRemovesTheWatcher() async throws {
        let api = try await newAPI()
        let h = try api.watch(configmaps, namespace: "default", options: .init())
        #expect(api.store.watcherCount == 1)
        h.cancel()
        #expect(await eventually { api.store.watcherCount == 0 })
    }
}
