import Foundation
import KplaneTestSupport
import KubeClient
import KubeModel
import Testing
@testable import Nodes

/// A container's environment from each source the kubelet reads (`makeEnvironmentVariables`):
/// values, ConfigMaps and Secrets by key or whole with a prefix, the pod's fields and the
/// container's resources, and the kubelet's messages when a source is missing.
@Suite struct ContainerEnvironmentTests {
    static let pod: JSONValue = [
        "metadata": ["name": "p", "namespace": "team", "uid": "u-1", "labels": ["app": "web"], "annotations": ["note": "hi"]],
        "spec": ["nodeName": "node-1", "enableServiceLinks": false, "containers": [["name": "app", "image": "app:1"]]],
    ]

    static func environment(_ c: TestCluster, _ container: JSONValue) async throws -> [String: String] {
        let vars = try await ContainerEnvironment(client: c.client, pod: pod, podIP: "10.244.0.5", hostIP: "10.0.0.1").make(Container(container))
        return Dictionary(vars, uniquingKeysWith: { _, last in last })
    }

    static func cluster() async throws -> TestCluster {
        let c = try await TestCluster(nodes: 1, controllers: false)
        _ = try await c.apply(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "team"]])
        _ = try await c.apply(["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "cfg", "namespace": "team"],
                               "data": ["MODE": "fast", "LEVEL": "3"]])
        _ = try await c.apply(["apiVersion": "v1", "kind": "Secret", "metadata": ["name": "creds", "namespace": "team"],
                               "data": ["user": "YWRtaW4=", "PASSWORD": "czNjcjN0"]])
        return c
    }

    @Test func everySourceGivesItsValue() async throws {
        let c = try await Self.cluster()
        let env = try await Self.environment(c, [
            "name": "app", "image": "app:1",
            "resources": ["limits": ["memory": "64Mi", "cpu": "1500m"], "requests": ["cpu": "250m"]],
            "envFrom": [["configMapRef": ["name": "cfg"], "prefix": "CFG_"], ["secretRef": ["name": "creds"]]],
            "env": [
                ["name": "PLAIN", "value": "v-$(CFG_MODE)"],
                ["name": "LEVEL", "valueFrom": ["configMapKeyRef": ["name": "cfg", "key": "LEVEL"]]],
                ["name": "USER", "valueFrom": ["secretKeyRef": ["name": "creds", "key": "user"]]],
                ["name": "MAYBE", "valueFrom": ["configMapKeyRef": ["name": "cfg", "key": "absent", "optional": true]]],
                ["name": "NOBODY", "valueFrom": ["secretKeyRef": ["name": "nothing", "key": "x", "optional": true]]],
                ["name": "POD", "valueFrom": ["fieldRef": ["fieldPath": "metadata.name"]]],
                ["name": "NS", "valueFrom": ["fieldRef": ["fieldPath": "metadata.namespace"]]],
                ["name": "UID", "valueFrom": ["fieldRef": ["fieldPath": "metadata.uid"]]],
                ["name": "APP", "valueFrom": ["fieldRef": ["fieldPath": "metadata.labels['app']"]]],
                ["name": "NOTE", "valueFrom": ["fieldRef": ["fieldPath": "metadata.annotations['note']"]]],
                ["name": "IP", "valueFrom": ["fieldRef": ["fieldPath": "status.podIP"]]],
                ["name": "HOST", "valueFrom": ["fieldRef": ["fieldPath": "status.hostIP"]]],
                ["name": "NODE", "valueFrom": ["fieldRef": ["fieldPath": "spec.nodeName"]]],
                ["name": "MEM_MI", "valueFrom": ["resourceFieldRef": ["resource": "limits.memory", "divisor": "1Mi"]]],
                ["name": "CPU_LIMIT", "valueFrom": ["resourceFieldRef": ["resource": "limits.cpu"]]],
                ["name": "CPU_MILLI", "valueFrom": ["resourceFieldRef": ["resource": "requests.cpu", "divisor": "1m"]]],
            ],
        ])
        #expect(env["CFG_MODE"] == "fast" && env["CFG_LEVEL"] == "3" && env["MODE"] == nil)
        #expect(env["user"] == "admin" && env["PASSWORD"] == "s3cr3t")
        #expect(env["PLAIN"] == "v-fast")
        #expect(env["LEVEL"] == "3" && env["USER"] == "admin")
        #expect(env["MAYBE"] == nil && env["NOBODY"] == nil)
        #expect(env["POD"] == "p" && env["NS"] == "team" && env["UID"] == "u-1" && env["APP"] == "web" && env["NOTE"] == "hi")
        #expect(env["IP"] == "10.244.0.5" && env["HOST"] == "10.0.0.1" && env["NODE"] == "node-1")
        // Rounded up to whole divisors, as the kubelet's ExtractResourceValueByContainer.
        #expect(env["MEM_MI"] == "64" && env["CPU_LIMIT"] == "2" && env["CPU_MILLI"] == "250")
        await c.stop()
    }

    static let missing: [(JSONValue, String)] = [
        (["configMapKeyRef": ["name": "cfg", "key": "nope"]], "couldn't find key nope in ConfigMap team/cfg"),
        (["secretKeyRef": ["name": "creds", "key": "nope"]], "couldn't find key nope in Secret team/creds"),
        (["configMapKeyRef": ["name": "gone", "key": "k"]], "configmap \"gone\" not found"),
        (["secretKeyRef": ["name": "myapp-secrets", "key": "k"]], "secret \"myapp-secrets\" not found"),
    ]

    @Test(arguments: 0..<4)
    func aMissingSourceIsTheKubeletsConfigError(_ index: Int) async throws {
        let (valueFrom, message) = Self.missing[index]
        let c = try await Self.cluster()
        do {
            _ = try await Self.environment(c, ["name": "app", "image": "app:1", "env": [["name": "X", "valueFrom": valueFrom]]])
            Issue.record("no error for \(valueFrom)")
        } catch let e as ContainerConfigError {
            #expect(e.message == message)
        }
        await c.stop()
    }
}
