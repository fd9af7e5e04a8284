import Foundation
import Testing
@testable import APIServer
@testable import KubeModel

func resource(_ group: String, _ version: String, _ plural: String) -> ResourceInfo {
    ResourceCatalog.find(group: group, version: version, plural: plural)!
}

let deployments = resource("apps", "v1", "deployments")
let replicasets = resource("apps", "v1", "replicasets")
let configmaps = resource("", "v1", "configmaps")
let pods = resource("", "v1", "pods")
let namespaces = resource("", "v1", "namespaces")
let services = resource("", "v1", "services")
let hpaV1 = resource("autoscaling", "v1", "horizontalpodautoscalers")
let hpaV2 = resource("autoscaling", "v2", "horizontalpodautoscalers")

func newAPI() async throws -> APIService {
    let api = APIService(store: try Store(path: nil))
    try await api.bootstrap()
    return api
}

func deployment(_ name: String = "myapp", image: String = "myapp:1.0.0") -> JSONValue {
    ["apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": .string(name)],
     "spec": ["replicas": 3, "selector": ["matchLabels": ["app": .string(name)]],
              "template": ["metadata": ["labels": ["app": .string(name)]], "spec": ["containers": [["name": "app", "image": .string(image)]]]]]]
}

func apiError(_ body: () async throws -> Void) async -> APIError? {
    do { try await body() } catch let e as APIError { return e } catch { return nil }
    return nil
}

@Suite struct APIServiceTests {
    @Test func bootstrapCreatesStandardNamespaces() async throws {
        let api = try await newAPI()
        let names = try api.list(namespaces, namespace: nil, options: .init())["items"]?.arrayValue?.compactMap { $0[path: ["metadata", "name"]]?.stringValue }
        #expect(names == ["default", "kube-node-lease", "kube-public", "kube-system"])
    }

    @Test func createDefaultsAndServerFields() async throws {
        let api = try await newAPI()
        let d = try await api.create(deployments, namespace: "default", body: deployment()).object
        #expect(d[path: ["metadata", "generation"]] == 1)
        #expect(d[path: ["metadata", "uid"]]?.stringValue?.count == 36)
        #expect(d[path: ["metadata", "creationTimestamp"]]?.stringValue?.hasSuffix("Z") == true)
        #expect(d[path: ["metadata", "namespace"]] == "default")
        #expect(d[path: ["spec", "strategy", "type"]] == "RollingUpdate")
        let again = await apiError { _ = try await api.create(deployments, namespace: "default", body: deployment()) }
        #expect(again?.code == 409 && again?.reason == "AlreadyExists")
        #expect(again?.message == "deployments.apps \"myapp\" already exists")
        let missing = await apiError { _ = try await api.create(deployments, namespace: "nope", body: deployment()) }
        #expect(missing?.code == 404 && missing?.message == "namespaces \"nope\" not found")
    }

    @Test func strictValidationAndWarnings() async throws {
        let api = try await newAPI()
        var body = deployment()
        body.set(["spec", "replica"], 2)
        let strict = await apiError { _ = try await api.create(deployments, namespace: "default", body: body, options: .init(fieldValidation: .strict)) }
        #expect(strict?.code == 400)
        #expect(strict?.message == "Deployment in version \"v1\" cannot be handled as a Deployment: strict decoding error: unknown field \"spec.replica\"")
        let warned = try await api.create(deployments, namespace: "default", body: body)
        #expect(warned.warnings == ["unknown field \"spec.replica\""])
        #expect(warned.object[path: ["spec", "replica"]] == nil)
        var bad = deployment("bad")
        bad.set(["spec", "selector", "matchLabels", "app"], "other")
        let invalid = await apiError { _ = try await api.create(deployments, namespace: "default", body: bad) }
        #expect(invalid?.code == 422)
        #expect(invalid?.details?["causes"]?.arrayValue?.first?["field"] == "spec.template.metadata.labels")
        #expect(invalid?.message.hasPrefix("Deployment.apps \"bad\" is invalid: spec.template.metadata.labels: Invalid value") == true)
    }

    @Test func updateConflictAndGeneration() async throws {
        let api = try await newAPI()
        let created = try await api.create(deployments, namespace: "default", body: deployment()).object
        var stale = created
        stale.set(["spec", "replicas"], 5)
        let updated = try await api.update(deployments, namespace: "default", name: "myapp", body: stale).object
        #expect(updated[path: ["metadata", "generation"]] == 2)
        let conflict = await apiError { _ = try await api.update(deployments, namespace: "default", name: "myapp", body: stale) }
        #expect(conflict?.code == 409 && conflict?.reason == "Conflict")
        // A label change is not a spec change.
        let labelled = try await api.patch(deployments, namespace: "default", name: "myapp", type: .merge, patch: ["metadata": ["labels": ["x": "y"]]]).object
        #expect(labelled[path: ["metadata", "generation"]] == 2)
        // An identical write is a no-op: same resourceVersion.
        let same = try await api.patch(deployments, namespace: "default", name: "myapp", type: .merge, patch: ["metadata": ["labels": ["x": "y"]]]).object
        #expect(same[path: ["metadata", "resourceVersion"]] == labelled[path: ["metadata", "resourceVersion"]])
    }

    @Test func statusAndScaleSubresources() async throws {
        let api = try await newAPI()
        _ = try await api.create(deployments, namespace: "default", body: deployment())
        var withStatus = try api.get(deployments, namespace: "default", name: "myapp")
        withStatus.set(["status", "replicas"], 3)
        withStatus.set(["spec", "replicas"], 9)
        let s = try await api.update(deployments, namespace: "default", name: "myapp", body: withStatus, subresource: .status).object
        #expect(s[path: ["status", "replicas"]] == 3)
        #expect(s[path: ["spec", "replicas"]] == 3)
        #expect(s[path: ["metadata", "generation"]] == 1)
        // Main-resource writes ignore status.
        let m = try await api.patch(deployments, namespace: "default", name: "myapp", type: .merge, patch: ["status": ["replicas": 0]]).object
        #expect(m[path: ["status", "replicas"]] == 3)
        let scale = try await api.patch(deployments, namespace: "default", name: "myapp", type: .merge, patch: ["spec": ["replicas": 5]], subresource: .scale).object
        #expect(scale["kind"] == "Scale")
        #expect(scale[path: ["spec", "replicas"]] == 5)
        #expect(scale[path: ["status", "selector"]] == "app=myapp")
        #expect(try api.get(deployments, namespace: "default", name: "myapp")[path: ["metadata", "generation"]] == 2)
    }

    @Test func listSelectorsAndPagination() async throws {
        let api = try await newAPI()
        for i in 0..<5 {
            _ = try await api.create(configmaps, namespace: "default", body: ["metadata": ["name": .string("cm\(i)"), "labels": ["n": .string(String(i % 2))]]])
        }
        var o = ListOptions()
        o.labelSelector = "n=1"
        #expect(try api.list(configmaps, namespace: "default", options: o)["items"]?.arrayValue?.count == 2)
        o = ListOptions()
        o.limit = 2
        let page1 = try api.list(configmaps, namespace: "default", options: o)
        #expect(page1["items"]?.arrayValue?.count == 2)
        #expect(page1[path: ["metadata", "remainingItemCount"]] == 3)
        o.continueToken = page1[path: ["metadata", "continue"]]?.stringValue ?? ""
        let page2 = try api.list(configmaps, namespace: "default", options: o)
        #expect(page2["items"]?.arrayValue?.first?[path: ["metadata", "name"]] == "cm2")
        o = ListOptions()
        o.fieldSelector = "metadata.name=cm3"
        #expect(try api.list(configmaps, namespace: nil, options: o)["items"]?.arrayValue?.count == 1)
        o.fieldSelector = "spec.nope=1"
        #expect(throws: APIError.self) { try api.list(configmaps, namespace: nil, options: o) }
        o = ListOptions()
        o.labelSelector = "a in b"
        #expect(throws: APIError.self) { try api.list(configmaps, namespace: nil, options: o) }
    }

    @Test func hpaIsServedInBothVersions() async throws {
        let api = try await newAPI()
        _ = try await api.create(hpaV1, namespace: "default", body: [
            "metadata": ["name": "h"], "spec": ["scaleTargetRef": ["kind": "Deployment", "name": "myapp", "apiVersion": "apps/v1"],
                                                 "minReplicas": 2, "maxReplicas": 10, "targetCPUUtilizationPercentage": 80]])
        let v2 = try api.get(hpaV2, namespace: "default", name: "h")
        #expect(v2[path: ["spec", "metrics"]]?.arrayValue?.first?[path: ["resource", "target", "averageUtilization"]] == 80)
        #expect(v2["apiVersion"] == "autoscaling/v2")
        let v1 = try api.get(hpaV1, namespace: "default", name: "h")
        #expect(v1[path: ["spec", "targetCPUUtilizationPercentage"]] == 80)
    }

    @Test func serviceGetsClusterIPAndKeepsIt() async throws {
        let api = try await newAPI()
        let svc = try await api.create(services, namespace: "default", body: ["metadata": ["name": "web"], "spec": ["selector": ["app": "web"], "ports": [["port": 80, "targetPort": 3000]]]]).object
        let ip = try #require(svc[path: ["spec", "clusterIP"]]?.stringValue)
        #expect(ip.hasPrefix("10.96."))
        #expect(svc[path: ["spec", "ports"]]?.arrayValue?.first?["protocol"] == "TCP")
        let patched = try await api.patch(services, namespace: "default", name: "web", type: .strategic, patch: ["spec": ["ports": [["port": 80, "targetPort": 8080]]]]).object
        #expect(patched[path: ["spec", "clusterIP"]] == .string(ip))
        #expect(patched[path: ["spec", "ports"]]?.arrayValue?.count == 1)
        let change = await apiError { _ = try await api.patch(services, namespace: "default", name: "web", type: .merge, patch: ["spec": ["clusterIP": "10.96.9.9"]]) }
        #expect(change?.code == 422)
    }
}
