import Foundation
import KplaneTestSupport
import KubeClient
import Testing
@testable import APIServer
@testable import KubeModel

/// `metadata.managedFields` on every write, and server-side apply's ownership, as kube-apiserver.
@Suite struct ManagedFieldsAPITests {
    func entries(_ obj: JSONValue) -> [JSONValue] { obj[path: ["metadata", "managedFields"]]?.arrayValue ?? [] }

    func applied(_ replicas: Int64) -> JSONValue {
        var d = deployment("web")
        d.set(["spec", "replicas"], .int(replicas))
        return d
    }

    @Test func everyWriteRecordsItsManager() async throws {
        let api = try await newAPI()
        let created = try await api.create(deployments, namespace: "default", body: deployment("web"), options: .init(fieldManager: "kubectl-create"))
        #expect(entries(created.object).map { $0["manager"] } == ["kubectl-create"])
        #expect(entries(created.object).first?["time"] == created.object[path: ["metadata", "creationTimestamp"]])
        // Without fieldManager the User-Agent names the manager; without either, "unknown".
        _ = try await api.patch(deployments, namespace: "default", name: "web", type: .merge, patch: ["metadata": ["labels": ["a": "b"]]],
                                options: .init(userAgent: "kubectl.1.32/v1.32.5 (linux/amd64) kubernetes/9894294"))
        _ = try await api.patch(deployments, namespace: "default", name: "web", type: .strategic, patch: ["spec": ["paused": true]])
        _ = try await api.patch(deployments, namespace: "default", name: "web", type: .merge, patch: ["spec": ["replicas": 7]], subresource: .scale,
                                options: .init(userAgent: "kubectl/v1.33.0"))
        var withStatus = try api.get(deployments, namespace: "default", name: "web")
        withStatus.set(["status", "replicas"], 1)
        let status = try await api.update(deployments, namespace: "default", name: "web", body: withStatus, subresource: .status,
                                          options: .init(userAgent: "kube-controller-manager/v1.32.0"))
        let got = try api.get(deployments, namespace: "default", name: "web")
        let byManager = Dictionary(entries(got).map { ($0["manager"]?.stringValue ?? "", $0) }, uniquingKeysWith: { a, _ in a })
        #expect(Set(byManager.keys) == ["kubectl-create", "kubectl.1.32", "unknown", "kubectl", "kube-controller-manager"])
        // The labels map was new: the patch added it (`.`) and its one label.
        #expect(byManager["kubectl.1.32"]?["fieldsV1"] == ["f:metadata": ["f:labels": [".": .emptyObject, "f:a": .emptyObject]]])
        #expect(byManager["kubectl"]?["subresource"] == "scale" && byManager["kubectl"]?["time"] == nil)
        #expect(byManager["kube-controller-manager"]?["subresource"] == "status")
        #expect(byManager["kube-controller-manager"]?["fieldsV1"] == ["f:status": ["f:replicas": .emptyObject]])
        #expect(entries(status.object).count == 5)
        // kubectl-create lost what the others took.
        let create = byManager["kubectl-create"]?[path: ["fieldsV1", "f:spec"]]
        #expect(create?["f:replicas"] == nil && create?["f:selector"] != nil)
    }

    @Test func applyNeedsAFieldManagerAndForceOnlyGoesWithApply() async throws {
        let api = try await newAPI()
        let noManager = await apiError { _ = try await api.patch(deployments, namespace: "default", name: "web", type: .apply, patch: applied(1)) }
        #expect(noManager?.code == 422 && noManager?.reason == "Invalid")
        #expect(noManager?.message == #"PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch"#)
        #expect(noManager?.details == ["group": "meta.k8s.io", "kind": "PatchOptions",
                                       "causes": [["reason": "FieldValueRequired", "message": "Required value: is required for apply patch", "field": "fieldManager"]]])
        let force = await apiError { _ = try await api.patch(deployments, namespace: "default", name: "web", type: .merge, patch: [:], options: .init(force: true)) }
        #expect(force?.message == #"PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch"#)
        let long = await apiError { _ = try await api.create(configmaps, namespace: "default", body: ["metadata": ["name": "c"]], options: .init(fieldManager: String(repeating: "m", count: 129))) }
        #expect(long?.message == #"CreateOptions.meta.k8s.io "" is invalid: fieldManager: Too long: may not be more than 128 bytes"#)
        let wrongKind = await apiError {
            _ = try await api.patch(deployments, namespace: "default", name: "web", type: .apply, patch: ["apiVersion": "apps/v1", "kind": "ReplicaSet"],
                                    options: .init(fieldManager: "m"))
        }
        #expect(wrongKind?.code == 400 && wrongKind?.message == "invalid object type: apps/v1, Kind=ReplicaSet")
    }

    @Test func applyConflictsAreKubernetesStatusAndForceTakesTheField() async throws {
        let api = try await newAPI()
        let created = try await api.patch(deployments, namespace: "default", name: "web", type: .apply, patch: applied(3), options: .init(fieldManager: "kubectl"))
        #expect(created.created)
        #expect(entries(created.object).map { $0["operation"] } == ["Apply"])
        _ = try await api.patch(deployments, namespace: "default", name: "web", type: .merge, patch: ["spec": ["replicas": 5]], subresource: .scale,
                                options: .init(userAgent: "kubectl/v1.32.5 (linux/amd64) kubernetes/9894294"))
        let conflict = await apiError { _ = try await api.patch(deployments, namespace: "default", name: "web", type: .apply, patch: applied(4), options: .init(fieldManager: "kubectl", force: false)) }
        #expect(conflict?.code == 409 && conflict?.reason == "Conflict")
        #expect(conflict?.message == #"Apply failed with 1 conflict: conflict with "kubectl" with subresource "scale" using apps/v1: .spec.replicas"#)
        #expect(conflict?.status == [
            "kind": "Status", "apiVersion": "v1", "metadata": .emptyObject, "status": "Failure", "code": 409, "reason": "Conflict",
            "message": #"Apply failed with 1 conflict: conflict with "kubectl" with subresource "scale" using apps/v1: .spec.replicas"#,
            "details": ["causes": [["reason": "FieldManagerConflict", "message": #"conflict with "kubectl" with subresource "scale" using apps/v1"#, "field": ".spec.replicas"]]],
        ])
        #expect(try api.get(deployments, namespace: "default", name: "web")[path: ["spec", "replicas"]] == 5)
        let forced = try await api.patch(deployments, namespace: "default", name: "web", type: .apply, patch: applied(4), options: .init(fieldManager: "kubectl", force: true))
        #expect(forced.object[path: ["spec", "replicas"]] == 4)
        #expect(entries(forced.object).map { $0["manager"] } == ["kubectl"])
        // Unchanged re-apply: no new revision.
        let again = try await api.patch(deployments, namespace: "default", name: "web", type: .apply, patch: applied(4), options: .init(fieldManager: "kubectl"))
        #expect(again.object.resourceVersion == forced.object.resourceVersion)
    }

    @Test func applyRemovesWhatTheApplierNoLongerApplies() async throws {
        let api = try await newAPI()
        var cm: JSONValue = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "c"], "data": ["a": "1", "b": "2"]]
        _ = try await api.patch(configmaps, namespace: "default", name: "c", type: .apply, patch: cm, options: .init(fieldManager: "tool"))
        cm["data"] = ["a": "1"]
        let after = try await api.patch(configmaps, namespace: "default", name: "c", type: .apply, patch: cm, options: .init(fieldManager: "tool"))
        #expect(after.object["data"] == ["a": "1"])
        // An applier owns the keys it applies, not the map that holds them.
        #expect(entries(after.object).first?["fieldsV1"] == ["f:data": ["f:a": .emptyObject]])
    }

    @Test func managedFieldsReachGetAndWatchOverHTTP() async throws {
        let server = try ServerProcess()
        let client = try HTTPAPIClient(config: try RestConfig.resolve(try Kubeconfig.load(paths: [server.kubeconfig]), ConfigOverrides()))
        let events = client.watch(path: "/api/v1/namespaces/default/configmaps", query: [("watch", "true")], accept: "application/json")
        let body = #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"w"},"data":{"k":"v"}}"#
        let created = try await server.request("POST", "/api/v1/namespaces/default/configmaps", body: body, headers: ["User-Agent": "curl/8.5.0"])
        #expect(created.status == 201)
        var seen: JSONValue?
        for try await e in events where e.object.metaName == "w" {
            seen = e.object
            break
        }
        #expect(seen.map(entries)?.first?["manager"] == "curl")
        let got = try await client.call("GET", "/api/v1/namespaces/default/configmaps/w")
        #expect(entries(got).first?["fieldsV1"] == ["f:data": [".": .emptyObject, "f:k": .emptyObject]])
        #expect(entries(got).first?["operation"] == "Update" && entries(got).first?["apiVersion"] == "v1")
        let noManager = try await server.request("PATCH", "/api/v1/namespaces/default/configmaps/w", body: body, contentType: "application/apply-patch+yaml")
        #expect(noManager.status == 422 && noManager.json["reason"] as? String == "Invalid")
    }
}
