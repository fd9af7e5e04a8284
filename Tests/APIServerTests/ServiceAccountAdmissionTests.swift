import Foundation
import Testing
@testable import APIServer
@testable import KubeModel

/// The ServiceAccount admission plugin and the `serviceAccount` alias, as kube-apiserver runs
/// them: pods run as `default` unless they say otherwise, the account must exist, and the
/// deprecated field always mirrors the current one.
@Suite struct ServiceAccountAdmissionTests {
    let accounts = resource("", "v1", "serviceaccounts")

    func pod(_ name: String, _ spec: [String: JSONValue] = [:]) -> JSONValue {
        var s: JSONValue = ["containers": [["name": "c", "image": "nginx"]]]
        for (k, v) in spec { s[k] = v }
        return ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": .string(name)], "spec": s]
    }

    @Test func podsRunAsTheDefaultServiceAccount() async throws {
        let api = try await newAPI()
        let p = try await api.create(pods, namespace: "default", body: pod("p")).object
        #expect(p[path: ["spec", "serviceAccountName"]] == "default")
        #expect(p[path: ["spec", "serviceAccount"]] == "default")
        // Dry runs are admitted the same way.
        let dry = try await api.create(pods, namespace: "default", body: pod("q"), options: .init(dryRun: true)).object
        #expect(dry[path: ["spec", "serviceAccountName"]] == "default")
    }

    @Test func theDeprecatedFieldIsAnAliasBothWays() async throws {
        let api = try await newAPI()
        _ = try await api.create(accounts, namespace: "default", body: ["metadata": ["name": "robot"], "imagePullSecrets": [["name": "registry"]]])
        let p = try await api.create(pods, namespace: "default", body: pod("p", ["serviceAccount": "robot"])).object
        #expect(p[path: ["spec", "serviceAccountName"]] == "robot" && p[path: ["spec", "serviceAccount"]] == "robot")
        // The account's pull secrets become the pod's when it names none.
        #expect(p[path: ["spec", "imagePullSecrets"]] == [["name": "registry"]])
        let own = try await api.create(pods, namespace: "default", body: pod("q", ["serviceAccountName": "robot", "imagePullSecrets": [["name": "mine"]]])).object
        #expect(own[path: ["spec", "imagePullSecrets"]] == [["name": "mine"]])
        // Templates carry the alias too, without defaulting or checking the account.
        var d = deployment("web")
        d.set(["spec", "template", "spec", "serviceAccountName"], "builder")
        let created = try await api.create(deployments, namespace: "default", body: d).object
        #expect(created[path: ["spec", "template", "spec", "serviceAccount"]] == "builder")
        let plain = try await api.create(deployments, namespace: "default", body: deployment("plain")).object
        #expect(plain[path: ["spec", "template", "spec", "serviceAccountName"]] == nil && plain[path: ["spec", "template", "spec", "serviceAccount"]] == nil)
    }

    @Test func aMissingAccountIsForbidden() async throws {
        let api = try await newAPI()
        let named = await apiError { _ = try await api.create(pods, namespace: "default", body: pod("p", ["serviceAccountName": "robot"])) }
        #expect(named?.code == 403 && named?.reason == "Forbidden")
        #expect(named?.message == "pods \"p\" is forbidden: error looking up service account default/robot: serviceaccount \"robot\" not found")
        #expect(named?.details == ["name": "p", "kind": "pods"])
        // Without the serviceaccounts controller nothing makes `default` in a new namespace:
        // the server looks for it a few times (about a second), then refuses, as kube-apiserver.
        _ = try await api.create(namespaces, namespace: nil, body: ["metadata": ["name": "team"]])
        let started = Date()
        let missingDefault = await apiError { _ = try await api.create(pods, namespace: "team", body: pod("p")) }
        #expect(missingDefault?.message == "pods \"p\" is forbidden: error looking up service account team/default: serviceaccount \"default\" not found")
        #expect(Date().timeIntervalSince(started) > 0.8)
        // Once the account exists (as the controller would make it), pods are admitted.
        _ = try await api.create(accounts, namespace: "team", body: ["metadata": ["name": "default"]])
        #expect(try await api.create(pods, namespace: "team", body: pod("p")).object[path: ["spec", "serviceAccountName"]] == "default")
    }

    @Test func anAccountMadeWhileThePodWaitsIsFound() async throws {
        let api = try await newAPI()
        _ = try await api.create(namespaces, namespace: nil, body: ["metadata": ["name": "team"]])
        async let created = api.create(pods, namespace: "team", body: pod("p"))
        try await Task.sleep(for: .milliseconds(250))
        _ = try await api.create(accounts, namespace: "team", body: ["metadata": ["name": "default"]])
        #expect(try await created.object[path: ["spec", "serviceAccountName"]] == "default")
    }
}
