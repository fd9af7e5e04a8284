import Foundation
import Testing
@testable import APIServer
@testable import KubeModel

/// Waits (without sleeping on a clock: it polls the store a bounded number of times) for
/// background cascades, which run as tasks after the owner's delete returns.
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

    @Test func backgroundDeletesDependents() async throws {
        let api = try await newAPI()
        let owner = try await api.create(deployments, namespace: "default", body: deployment()).object
        try await owned(api, owner: owner, name: "myapp-1")
        _ = try await api.delete(deployments, namespace: "default", name: "myapp")
        #expect(!exists(api, deployments, "myapp"))
        #expect(await eventually { !exists(api, replicasets, "myapp-1") })
    }

    @Test func orphanKeepsDependentsWithoutOwnerRef() async throws {
        let api = try await newAPI()
        let owner = try await api.create(deployments, namespace: "default", body: deployment()).object
        try await owned(api, owner: owner, name: "myapp-1")
        var o = DeleteOptions()
        o.propagationPolicy = "Orphan"
        _ = try await api.delete(deployments, namespace: "default", name: "myapp", options: o)
        #expect(await eventually { !exists(api, deployments, "myapp") })
        let rs = try api.get(replicasets, namespace: "default", name: "myapp-1")
        #expect(rs[path: ["metadata", "ownerReferences"]] == nil)
    }

    @Test func foregroundDeletesDependentsFirst() async throws {
        let api = try await newAPI()
        let owner = try await api.create(deployments, namespace: "default", body: deployment()).object
        try await owned(api, owner: owner, name: "myapp-1")
        var o = DeleteOptions()
        o.propagationPolicy = "Foreground"
        let marked = try await api.delete(deployments, namespace: "default", name: "myapp", options: o)
        #expect(marked[path: ["metadata", "finalizers"]] == ["foregroundDeletion"])
        #expect(marked[path: ["metadata", "deletionTimestamp"]] != nil)
        #expect(await eventually { !exists(api, deployments, "myapp") && !exists(api, replicasets, "myapp-1") })
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

    @Test func deletingANamespaceRemovesItsContents() async throws {
        let api = try await newAPI()
        _ = try await api.create(namespaces, namespace: nil, body: ["metadata": ["name": "team"]])
        _ = try await api.create(configmaps, namespace: "team", body: ["metadata": ["name": "a"]])
        _ = try await api.create(deployments, namespace: "team", body: deployment())
        let ns = try await api.delete(namespaces, namespace: nil, name: "team")
        #expect(ns[path: ["status", "phase"]] == "Terminating")
        let refused = await apiError { _ = try await api.create(configmaps, namespace: "team", body: ["metadata": ["name": "b"]]) }
        #expect(refused == nil || refused?.code == 403 || refused?.code == 404)
        #expect(await eventually { !exists(api, namespaces, "team", ns: nil) })
        #expect(!exists(api, configmaps, "a", ns: "team"))
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
