import Foundation
import Testing
@testable import APIServer
@testable import KubeModel

/// Waits (polling a bounded number of times) for work the server finishes after replying.
func eventually(_ condition: () throws -> Bool) async rethrows -> Bool {
    for _ in 0..<200 {
        if try condition() { return true }
        await Task.yield()
        try? await Task.sleep(for: .milliseconds(5))
    }
    return try condition()
}

@Suite struct DeleteTests {
    func owned(_ api: APIService, owner: JSONValue, name: String) async throws {
        let ref: JSONValue = ["apiVersion": "apps/v1", "kind": "Deployment", "name": owner[path: ["metadata", "name"]] ?? "",
                              "uid": owner[path: ["metadata", "uid"]] ?? "", "controller": true, "blockOwnerDeletion": true]
        var rs = deployment(name)
        rs["kind"] = "ReplicaSet"
        rs.set(["metadata", "ownerReferences"], [ref])
        _ = try await api.create(replicasets, namespace: "default", body: rs)
    }

    func exists(_ api: APIService, _ info: ResourceInfo, _ name: String, ns: String? = "default") -> Bool {
        (try? api.get(info, namespace: ns, name: name)) != nil
    }

    // The API server marks; the garbage collector cascades (see ControllersTests). Here, with no
    // controllers, the marks are what a client sees.
    @Test func backgroundDeleteLeavesDependentsToTheGarbageCollector() async throws {
        let api = try await newAPI()
        let owner = try await api.create(deployments, namespace: "default", body: deployment()).object
        try await owned(api, owner: owner, name: "myapp-1")
        _ = try await api.delete(deployments, namespace: "default", name: "myapp")
        #expect(!exists(api, deployments, "myapp"))
        #expect(exists(api, replicasets, "myapp-1"))
    }

    @Test func orphanAndForegroundMarkTheOwnerWithAFinalizer() async throws {
        let api = try await newAPI()
        for (policy, finalizer) in [("Orphan", "orphan"), ("Foreground", "foregroundDeletion")] {
            let owner = try await api.create(deployments, namespace: "default", body: deployment()).object
            try await owned(api, owner: owner, name: "myapp-1")
            var o = DeleteOptions()
            o.propagationPolicy = policy
            let marked = try await api.delete(deployments, namespace: "default", name: "myapp", options: o)
            #expect(marked[path: ["metadata", "finalizers"]] == [.string(finalizer)])
            #expect(marked[path: ["metadata", "deletionTimestamp"]] != nil)
            #expect(exists(api, deployments, "myapp"))
            // What the garbage collector does once it has handled the dependents.
            _ = try await api.patch(deployments, namespace: "default", name: "myapp", type: .merge, patch: ["metadata": ["finalizers": nil]])
            #expect(!exists(api, deployments, "myapp"))
            _ = try await api.delete(replicasets, namespace: "default", name: "myapp-1")
        }
    }

    @Test func withoutDependentsNoFinalizerIsNeeded() async throws {
        let api = try await newAPI()
        _ = try await api.create(deployments, namespace: "default", body: deployment())
        var o = DeleteOptions()
        o.propagationPolicy = "Foreground"
        _ = try await api.delete(deployments, namespace: "default", name: "myapp", options: o)
        #expect(!exists(api, deployments, "myapp"))
    }

    @Test func finalizersHoldDeletionUntilRemoved() async throws {
        let api = try await newAPI()
        _ = try await api.create(configmaps, namespace: "default", body: ["metadata": ["name": "f", "finalizers": ["example.com/hold"]]])
        let marked = try await api.delete(configmaps, namespace: "default", name: "f")
        #expect(marked[path: ["metadata", "deletionTimestamp"]] != nil)
        #expect(exists(api, configmaps, "f"))
        _ = try await api.patch(configmaps, namespace: "default", name: "f", type: .merge, patch: ["metadata": ["finalizers": nil]])
        #expect(!exists(api, configmaps, "f"))
    }

    @Test func preconditionsAndNotFound() async throws {
        let api = try await newAPI()
        _ = try await api.create(configmaps, namespace: "default", body: ["metadata": ["name": "p"]])
        var o = DeleteOptions()
        o.preconditionUID = "wrong"
        let e = await apiError { _ = try await api.delete(configmaps, namespace: "default", name: "p", options: o) }
        #expect(e?.code == 409)
        let nf = await apiError { _ = try await api.delete(configmaps, namespace: "default", name: "nope") }
        #expect(nf?.code == 404 && nf?.message == "configmaps \"nope\" not found")
    }

    @Test func boundPodsTerminateGracefully() async throws {
        let api = try await newAPI()
        _ = try await api.create(pods, namespace: "default", body: ["metadata": ["name": "p"], "spec": ["containers": [["name": "c", "image": "i"]]]])
        _ = try await api.bind(namespace: "default", name: "p", body: ["target": ["kind": "Node", "name": "node-1"]])
        let again = await apiError { _ = try await api.bind(namespace: "default", name: "p", body: ["target": ["kind": "Node", "name": "node-2"]]) }
        #expect(again?.code == 409)
        let terminating = try await api.delete(pods, namespace: "default", name: "p")
        #expect(terminating[path: ["metadata", "deletionGracePeriodSeconds"]] == 30)
        #expect(exists(api, pods, "p"))
        var now = DeleteOptions()
        now.gracePeriodSeconds = 0
        _ = try await api.delete(pods, namespace: "default", name: "p", options: now)
        #expect(!exists(api, pods, "p"))
    }

    /// A grace period of Int64.max seconds (anyone may write one) puts the deletion at the
    /// last time RFC 3339 can say, instead of trapping the server.
    @Test func aHugeGracePeriodDeletesWithoutTrapping() async throws {
        let api = try await newAPI()
        _ = try await api.create(pods, namespace: "default", body: ["metadata": ["name": "p"], "spec": [
            "terminationGracePeriodSeconds": .int(.max), "containers": [["name": "c", "image": "i"]]]])
        _ = try await api.bind(namespace: "default", name: "p", body: ["target": ["kind": "Node", "name": "node-1"]])
        let terminating = try await api.delete(pods, namespace: "default", name: "p")
        #expect(terminating[path: ["metadata", "deletionGracePeriodSeconds"]] == .int(.max))
        #expect(terminating[path: ["metadata", "deletionTimestamp"]] == "9999-12-31T23:59:59Z")
    }

    @Test func aNamespaceTerminatesUntilFinalized() async throws {
        let api = try await newAPI()
        _ = try await api.create(namespaces, namespace: nil, body: ["metadata": ["name": "team"]])
        _ = try await api.create(configmaps, namespace: "team", body: ["metadata": ["name": "a"]])
        let ns = try await api.delete(namespaces, namespace: nil, name: "team")
        #expect(ns[path: ["status", "phase"]] == "Terminating")
        #expect(ns[path: ["spec", "finalizers"]] == ["kubernetes"])
        let refused = await apiError { _ = try await api.create(configmaps, namespace: "team", body: ["metadata": ["name": "b"]]) }
        #expect(refused?.code == 403)
        // The namespace controller empties it, then finalizes; the API server then deletes it.
        _ = try await api.delete(configmaps, namespace: "team", name: "a")
        #expect(exists(api, namespaces, "team", ns: nil))
        _ = try await api.patch(namespaces, namespace: nil, name: "team", type: .merge, patch: ["spec": ["finalizers": []]])
        #expect(!exists(api, namespaces, "team", ns: nil))
    }

    @Test func deleteCollectionBySelector() async throws {
        let api = try await newAPI()
        for i in 0..<4 { _ = try await api.create(configmaps, namespace: "default", body: ["metadata": ["name": .string("d\(i)"), "labels": ["del": .string(i < 3 ? "yes" : "no")]]]) }
        var l = ListOptions()
        l.labelSelector = "del=yes"
        _ = try await api.deleteCollection(configmaps, namespace: "default", list: l, options: .init())
        #expect(try api.list(configmaps, namespace: "default", options: .init())["items"]?.arrayValue?.count == 1)
    }
}
