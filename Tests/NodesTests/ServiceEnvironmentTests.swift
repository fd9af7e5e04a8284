import Foundation
import KplaneTestSupport
import KubeClient
import KubeModel
import Testing
@testable import Nodes

/// The Service variables a container gets, as the kubelet's `getServiceEnvVarMap` makes them
/// (the cases of `pkg/kubelet/kubelet_pods_test.go` TestMakeEnvironmentVariables).
@Suite struct ServiceEnvironmentTests {
    static func service(_ name: String, namespace: String = "default", clusterIP: String, ports: [JSONValue]) -> JSONValue {
        ["apiVersion": "v1", "kind": "Service", "metadata": ["name": .string(name), "namespace": .string(namespace)],
         "spec": ["clusterIP": .string(clusterIP), "ports": .array(ports)]]
    }

    @Test func everyServiceWithAClusterIPGivesHostPortAndLinkVariables() {
        let env = ServiceEnvironment.fromServices([
            Self.service("my-app", clusterIP: "10.96.0.20", ports: [["name": "http", "port": 80, "protocol": "TCP"], ["name": "dns-udp", "port": 53, "protocol": "UDP"]]),
            Self.service("headless", clusterIP: "None", ports: [["port": 80]]),
        ])
        #expect(env == [
            "MY_APP_SERVICE_HOST": "10.96.0.20",
            "MY_APP_SERVICE_PORT": "80",
            "MY_APP_SERVICE_PORT_HTTP": "80",
            "MY_APP_SERVICE_PORT_DNS_UDP": "53",
            "MY_APP_PORT": "tcp://10.96.0.20:80",
            "MY_APP_PORT_80_TCP": "tcp://10.96.0.20:80",
            "MY_APP_PORT_80_TCP_PROTO": "tcp",
            "MY_APP_PORT_80_TCP_PORT": "80",
            "MY_APP_PORT_80_TCP_ADDR": "10.96.0.20",
            "MY_APP_PORT_53_UDP": "udp://10.96.0.20:53",
            "MY_APP_PORT_53_UDP_PROTO": "udp",
            "MY_APP_PORT_53_UDP_PORT": "53",
            "MY_APP_PORT_53_UDP_ADDR": "10.96.0.20",
        ])
    }

    @Test func aContainerGetsItsNamespacesServicesAndKubernetesAndItsOwnEnvWins() async throws {
        let c = try await TestCluster(nodes: 1, controllers: false)
        _ = try await c.apply(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "team"]])
        _ = try await c.apply(Self.service("myapp", namespace: "team", clusterIP: "10.96.0.30", ports: [["port": 80]]))
        _ = try await c.apply(Self.service("other", clusterIP: "10.96.0.31", ports: [["port": 8080]]))
        let container = Container(["name": "app", "image": "app:1", "env": [
            ["name": "MYAPP_SERVICE_PORT", "value": "9999"],
            ["name": "URL", "value": "http://$(MYAPP_SERVICE_HOST):$(MYAPP_SERVICE_PORT)"],
        ]])
        func env(links: Bool) async throws -> [String: String] {
            let pod: JSONValue = ["metadata": ["name": "p", "namespace": "team"], "spec": ["enableServiceLinks": .bool(links), "containers": [container.json]]]
            let vars = try await ContainerEnvironment(client: c.client, pod: pod, podIP: "10.244.0.5", hostIP: "10.0.0.1").make(container)
            return Dictionary(vars, uniquingKeysWith: { a, _ in a })
        }
        let linked = try await env(links: true)
        #expect(linked["MYAPP_SERVICE_HOST"] == "10.96.0.30")
        #expect(linked["MYAPP_SERVICE_PORT"] == "9999")
        #expect(linked["URL"] == "http://10.96.0.30:9999")
        #expect(linked["KUBERNETES_SERVICE_HOST"] == "10.96.0.1")
        #expect(linked["KUBERNETES_SERVICE_PORT_HTTPS"] == "443")
        #expect(linked["KUBERNETES_PORT"] == "tcp://10.96.0.1:443")
        #expect(linked["OTHER_SERVICE_HOST"] == nil)
        let unlinked = try await env(links: false)
        #expect(unlinked["MYAPP_SERVICE_HOST"] == nil)
        #expect(unlinked["KUBERNETES_SERVICE_HOST"] == "10.96.0.1")
        await c.stop()
    }
}
