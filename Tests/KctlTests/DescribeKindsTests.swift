import Foundation
import KubeClient
import KubeModel
import Testing
@testable import kctl

/// Golden output of the describers whose fields the parity tests' manifests leave out (node
/// ports, named target ports, TLS, default backends, observed metrics, binary data), read
/// through the typed views. The API answers come from a canned client: EndpointSlices by
/// Service name, and no events.
@Suite struct DescribeKindsTests {
    struct CannedAPI: APIClient {
        let slices: [String: JSONValue]

        func send(method: String, path: String, query: [(String, String)], body: [UInt8]?, contentType: String?, accept: String?) async throws -> APIResponse {
            var items: [JSONValue] = []
            if path.hasSuffix("/endpointslices"), let selector = query.first(where: { $0.0 == "labelSelector" })?.1 {
                items = slices[String(selector.dropFirst("kubernetes.io/service-name=".count))].map { [$0] } ?? []
            }
            let list: JSONValue = ["kind": "List", "apiVersion": "v1", "metadata": ["resourceVersion": "1"], "items": .array(items)]
            return APIResponse(status: 200, contentType: "application/json", body: Array(JSONSerializer.string(list).utf8))
        }

        func watch(path: String, query: [(String, String)], accept: String?) -> AsyncThrowingStream<WatchEventLine, any Error> {
            AsyncThrowingStream { $0.finish() }
        }

        func stream(path: String, query: [(String, String)], accept: String?) -> AsyncThrowingStream<[UInt8], any Error> {
            AsyncThrowingStream { $0.finish() }
        }
    }

    static let slices: [String: JSONValue] = [
        "web": ["ports": [["name": "http", "port": 8080]], "endpoints": [["addresses": ["10.0.0.1"], "conditions": ["ready": true]],
                                                          ["addresses": ["10.0.0.2"], "conditions": ["ready": false]],
                                                          ["addresses": ["10.0.0.3"]]]],
    ]

    func describe(_ resource: String, _ o: JSONValue) async throws -> String {
        let session = Session(rest: RestConfig(server: "http://127.0.0.1:1"), client: CannedAPI(slices: Self.slices), cacheDir: nil, namespaceFlag: false)
        return try await Describers(session: session).describe(.builtin(resource), o)
    }

    func lines(_ lines: String...) -> String { lines.joined(separator: "\n") }

    @Test func nodePortServiceWithNamedTargetPort() async throws {
        let text = try await describe("services", [
            "kind": "Service", "metadata": ["name": "web", "namespace": "prod", "uid": "u1"],
            "spec": ["type": "NodePort", "selector": ["app": "web"], "clusterIP": "10.96.0.10", "clusterIPs": ["10.96.0.10"],
                     "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack", "sessionAffinity": "ClientIP", "internalTrafficPolicy": "Cluster",
                     "ports": [["name": "http", "port": 80, "targetPort": "web", "nodePort": 30080, "protocol": "TCP"],
                               ["port": 53, "protocol": "UDP", "targetPort": 5353]]],
        ])
        #expect(text == lines(
            "Name:                     web",
            "Namespace:                prod",
            "Labels:                   <none>",
            "Annotations:              <none>",
            "Selector:                 app=web",
            "Type:                     NodePort",
            "IP Family Policy:         SingleStack",
            "IP Families:              IPv4",
            "IP:                       10.96.0.10",
            "IPs:                      10.96.0.10",
            "Port:                     http  80/TCP",
            "TargetPort:               web/TCP",
            "NodePort:                 http  30080/TCP",
            "Endpoints:                10.0.0.1:8080,10.0.0.3:8080",
            "Port:                     <unset>  53/UDP",
            "TargetPort:               5353/UDP",
            // kubectl lists a port's endpoints from the slice ports of the same name: none here.
            "Endpoints:                ",
            "Session Affinity:         ClientIP",
            "Internal Traffic Policy:  Cluster",
            "Events:                   <none>"
        ))
    }

    @Test func ingressWithTLSAndDefaultBackend() async throws {
        let text = try await describe("ingresses.networking.k8s.io", [
            "kind": "Ingress", "metadata": ["name": "front", "namespace": "prod", "labels": ["app": "web"]],
            "spec": ["ingressClassName": "nginx", "defaultBackend": ["service": ["name": "web", "port": ["name": "http"]]],
                     "tls": [["hosts": ["a.example", "b.example"], "secretName": "certs"], ["hosts": ["c.example"]]],
                     "rules": [["host": "a.example", "http": ["paths": [["path": "/api", "pathType": "Prefix",
                                                                          "backend": ["service": ["name": "web", "port": ["number": 80]]]]]]],
                               ["http": ["paths": [["path": "/", "pathType": "Prefix", "backend": ["service": ["name": "none", "port": ["number": 1]]]]]]]]],
            "status": ["loadBalancer": ["ingress": [["ip": "1.2.3.4"], ["hostname": "lb.example"]]]],
        ])
        #expect(text == lines(
            "Name:             front",
            "Labels:           app=web",
            "Namespace:        prod",
            "Address:          1.2.3.4,lb.example",
            "Ingress Class:    nginx",
            "Default backend:  web:http (10.0.0.1:8080,10.0.0.3:8080)",
            "TLS:",
            "  certs terminates a.example,b.example",
            "  SNI terminates c.example",
            "Rules:",
            "  Host        Path  Backends",
            "  ----        ----  --------",
            "  a.example   ",
            "              /api   web:80 (10.0.0.1:8080,10.0.0.3:8080)",
            "  *           ",
            "              /   none:1 (<none>)",
            "Annotations:  <none>",
            "Events:       <none>"
        ))
    }

    @Test func autoscalerWithObservedMetrics() async throws {
        let text = try await describe("horizontalpodautoscalers.autoscaling", [
            "kind": "HorizontalPodAutoscaler", "metadata": ["name": "web", "namespace": "prod", "creationTimestamp": "2026-01-02T03:04:05Z"],
            "spec": ["scaleTargetRef": ["apiVersion": "apps/v1", "kind": "Deployment", "name": "web"], "minReplicas": 2, "maxReplicas": 10,
                     "metrics": [["type": "Resource", "resource": ["name": "cpu", "target": ["type": "Utilization", "averageUtilization": 70]]],
                                 ["type": "Resource", "resource": ["name": "memory", "target": ["type": "AverageValue", "averageValue": "512Mi"]]]]],
            "status": ["currentReplicas": 3, "desiredReplicas": 4,
                       "currentMetrics": [["type": "Resource", "resource": ["name": "cpu", "current": ["averageUtilization": 85, "averageValue": "170m"]]]],
                       "conditions": [["type": "AbleToScale", "status": "True", "reason": "ReadyForNewScale", "message": "ok"]]],
        ])
        #expect(text == lines(
            "Name:                                                  web",
            "Namespace:                                             prod",
            "Labels:                                                <none>",
            "Annotations:                                           <none>",
            "CreationTimestamp:                                     Fri, 02 Jan 2026 03:04:05 +0000",
            "Reference:                                             Deployment/web",
            "Metrics:                                               ( current / target )",
            "  resource cpu on pods  (as a percentage of request):  85% (170m) / 70%",
            "  resource memory on pods:                             <unknown> / 512Mi",
            "Min replicas:                                          2",
            "Max replicas:                                          10",
            "Deployment pods:                                       3 current / 4 desired",
            "Conditions:",
            "  Type         Status  Reason            Message",
            "  ----         ------  ------            -------",
            "  AbleToScale  True    ReadyForNewScale  ok",
            "Events:        <none>"
        ))
    }

    @Test func configMapWithBinaryDataAndTypedSecret() async throws {
        let cm = try await describe("configmaps", ["kind": "ConfigMap", "metadata": ["name": "cfg", "namespace": "prod"],
                                                  "data": ["b": "two", "a": "1"], "binaryData": ["bin": "AAECAw=="]])
        #expect(cm == lines(
            "Name:         cfg",
            "Namespace:    prod",
            "Labels:       <none>",
            "Annotations:  <none>",
            "",
            "Data",
            "====",
            "a:",
            "----",
            "1",
            "",
            "b:",
            "----",
            "two",
            "",
            "",
            "BinaryData",
            "====",
            "bin: 4 bytes",
            "",
            "Events:  <none>"
        ))
        let secret = try await describe("secrets", ["kind": "Secret", "metadata": ["name": "tls", "namespace": "prod"], "type": "kubernetes.io/tls",
                                                   "data": ["tls.crt": "Y2VydA==", "tls.key": "a2V5IQ=="]])
        #expect(secret == lines(
            "Name:         tls",
            "Namespace:    prod",
            "Labels:       <none>",
            "Annotations:  <none>",
            "",
            "Type:  kubernetes.io/tls",
            "",
            "Data",
            "====",
            "tls.crt:  4 bytes",
            "tls.key:  4 bytes"
        ))
    }
}
