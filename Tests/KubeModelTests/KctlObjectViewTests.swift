import Foundation
import Testing
@testable import KubeModel

/// The views kctl reads Services, Ingresses, autoscalers, config, events, lists and tables
/// through: what the JSON holds, and Kubernetes' defaults (or nil) where it holds nothing.
@Suite struct KctlObjectViewTests {
    @Test func serviceFieldsAndDefaults() {
        let svc = Service([
            "metadata": ["name": "web", "namespace": "prod"],
            "spec": ["type": "NodePort", "selector": ["app": "web"], "clusterIP": "10.96.0.10", "clusterIPs": ["10.96.0.10"],
                     "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack", "sessionAffinity": "ClientIP",
                     "ports": [["name": "http", "port": 80, "targetPort": "web", "nodePort": 30080],
                               ["port": 443, "protocol": "UDP", "targetPort": 8443]]],
            "status": ["loadBalancer": ["ingress": [["ip": "1.2.3.4"], ["hostname": "lb.example"]]]],
        ])
        #expect(svc.metadata.name == "web" && svc.spec.type == "NodePort" && svc.spec.selector == ["app": "web"])
        #expect(svc.spec.clusterIP == "10.96.0.10" && svc.spec.clusterIPs == ["10.96.0.10"] && svc.spec.ipFamilies == ["IPv4"])
        #expect(svc.spec.ipFamilyPolicy == "SingleStack" && svc.spec.sessionAffinity == "ClientIP")
        let http = svc.spec.ports[0], dns = svc.spec.ports[1]
        #expect(http.name == "http" && http.port == 80 && http.protocol == "TCP" && http.nodePort == 30080)
        #expect(http.targetPort == .string("web") && http.targetPort?.description == "web")
        #expect(dns.name == nil && dns.protocol == "UDP" && dns.targetPort == .int(8443) && dns.targetPort?.description == "8443" && dns.nodePort == nil)
        #expect(svc.status.loadBalancer.ingress.map { $0.ip ?? $0.hostname } == ["1.2.3.4", "lb.example"])

        let bare = Service(["metadata": ["name": "x"], "spec": ["ports": [["port": 53]]]])
        #expect(bare.spec.type == "ClusterIP" && bare.spec.sessionAffinity == "None")
        #expect(bare.spec.selector == nil && bare.spec.clusterIPs == nil && bare.spec.ipFamilies == nil && bare.spec.clusterIP == nil)
        #expect(bare.spec.ports[0].targetPort == nil && bare.status.loadBalancer.ingress.isEmpty)
        // Present but empty differs from absent: describe prints the line for one, not the other.
        #expect(Service(["spec": ["selector": [:], "ipFamilies": []]]).spec.selector == [:])
        #expect(Service(["spec": ["ipFamilies": []]]).spec.ipFamilies == [])
    }

    /// Unlike IntOrPercent, a string stays a string, even when it holds digits: a port name.
    @Test(arguments: [(JSONValue.int(8080), IntOrString.int(8080)), ("http", .string("http")), ("8080", .string("8080"))])
    func intOrStringAsWritten(written: JSONValue, read: IntOrString) {
        #expect(IntOrString(written) == read)
        #expect(ServicePort(["targetPort": written]).targetPort == read)
        #expect(read.description == (written.stringValue ?? "8080"))
    }

    @Test func intOrStringRejectsOtherValues() {
        #expect(IntOrString(.bool(true)) == nil && IntOrString(.null) == nil && IntOrString(["a": 1]) == nil)
        #expect(IntOrString.int(80).description == "80" && IntOrString.string("http").description == "http")
    }

    @Test func ingressRulesBackendsAndTLS() {
        let ing = Ingress([
            "spec": ["ingressClassName": "nginx",
                     "defaultBackend": ["service": ["name": "fallback", "port": ["name": "http"]]],
                     "tls": [["hosts": ["a.example", "b.example"], "secretName": "certs"], ["hosts": ["c.example"]]],
                     "rules": [["host": "a.example", "http": ["paths": [["path": "/", "pathType": "Prefix",
                                                                          "backend": ["service": ["name": "web", "port": ["number": 80]]]],
                                                                         ["path": "/static", "pathType": "Exact",
                                                                          "backend": ["resource": ["kind": "StorageBucket", "name": "assets"]]]]]],
                               ["http": ["paths": []]], [:]]],
            "status": ["loadBalancer": ["ingress": [["hostname": "lb.example"]]]],
        ])
        #expect(ing.spec.ingressClassName == "nginx")
        #expect(ing.spec.defaultBackend?.service?.name == "fallback" && ing.spec.defaultBackend?.service?.port == .string("http"))
        #expect(ing.spec.tls.map(\.secretName) == ["certs", nil] && ing.spec.tls[0].hosts == ["a.example", "b.example"])
        let rules = ing.spec.rules
        #expect(rules.map(\.host) == ["a.example", nil, nil] && rules.map(\.paths.count) == [2, 0, 0])
        let web = rules[0].paths[0], bucket = rules[0].paths[1]
        #expect(web.path == "/" && web.pathType == "Prefix" && web.backend.service?.name == "web" && web.backend.service?.port == .int(80))
        #expect(bucket.backend.service == nil && bucket.backend.resource?["kind"] == "StorageBucket")
        #expect(ing.status.loadBalancer.ingress.first?.hostname == "lb.example")

        let empty = Ingress(["metadata": ["name": "x"]])
        #expect(empty.spec.ingressClassName == nil && empty.spec.defaultBackend == nil && empty.spec.rules.isEmpty && empty.spec.tls.isEmpty)
        #expect(IngressServiceBackend(["name": "web"]).port == nil)
    }

    @Test func autoscalerMetricsWithQuantitiesAndDefaults() {
        let hpa = HorizontalPodAutoscaler([
            "spec": ["scaleTargetRef": ["apiVersion": "apps/v1", "kind": "Deployment", "name": "web"], "maxReplicas": 10,
                     "metrics": [["type": "Resource", "resource": ["name": "cpu", "target": ["type": "Utilization", "averageUtilization": 70]]],
                                 ["type": "Resource", "resource": ["name": "memory", "target": ["type": "AverageValue", "averageValue": "512Mi"]]],
                                 ["type": "Pods", "pods": ["metric": ["name": "qps"]]]]],
            "status": ["currentReplicas": 3, "desiredReplicas": 4,
                       "currentMetrics": [["type": "Resource", "resource": ["name": "cpu", "current": ["averageUtilization": 85, "averageValue": "170m"]]]],
                       "conditions": [["type": "AbleToScale", "status": "True", "reason": "ReadyForNewScale"]]],
        ])
        #expect(hpa.spec.scaleTargetRef.kind == "Deployment" && hpa.spec.scaleTargetRef.name == "web" && hpa.spec.scaleTargetRef.apiVersion == "apps/v1")
        #expect(hpa.spec.minReplicas == 1 && hpa.spec.maxReplicas == 10)
        let cpu = hpa.spec.metrics[0].resource, memory = hpa.spec.metrics[1].resource
        #expect(cpu.name == "cpu" && cpu.target.type == "Utilization" && cpu.target.averageUtilization == 70 && cpu.target.averageValue == nil)
        #expect(memory.target.averageValue?.text == "512Mi" && memory.target.averageValue?.value == 512 * 1024 * 1024 && memory.target.averageUtilization == nil)
        #expect(hpa.spec.metrics[2].type == "Pods" && hpa.spec.metrics[2].resource.name == "" && hpa.spec.metrics[2].pods != nil)
        let now = hpa.status.currentMetrics[0].resource.current
        #expect(now.averageUtilization == 85 && now.averageValue?.milliValue == 170 && now.value == nil)
        #expect(hpa.status.currentReplicas == 3 && hpa.status.desiredReplicas == 4)
        #expect(hpa.status.conditions[type: "AbleToScale"]?.reason == "ReadyForNewScale")

        let fresh = HorizontalPodAutoscaler(["spec": ["minReplicas": 2]])
        #expect(fresh.spec.minReplicas == 2 && fresh.spec.maxReplicas == 0 && fresh.spec.metrics.isEmpty)
        #expect(fresh.status.currentReplicas == 0 && fresh.status.currentMetrics.isEmpty && fresh.status.lastScaleTime == nil)
        // A quantity written as a number reads as one; a malformed one reads as absent.
        #expect(MetricTarget(["value": 3]).value?.text == "3" && MetricTarget(["value": "lots"]).value == nil)
    }

    @Test func configMapSecretAndServiceAccount() {
        let cm = ConfigMap(["data": ["a": "1", "b": "two"], "binaryData": ["bin": "AAEC"]])
        #expect(cm.data == ["a": "1", "b": "two"] && cm.binaryData == ["bin": "AAEC"] && cm.immutable == nil)
        #expect(ConfigMap(["metadata": ["name": "x"]]).data.isEmpty)

        let secret = Secret(["type": "kubernetes.io/tls", "data": ["tls.crt": "Y2VydA=="]])
        #expect(secret.type == "kubernetes.io/tls" && secret.data == ["tls.crt": "Y2VydA=="])
        #expect(Secret(["metadata": ["name": "x"]]).type == "Opaque" && Secret(["metadata": ["name": "x"]]).data == nil)
        #expect(Secret(["data": [:]]).data == [:])

        let sa = ServiceAccount(["secrets": [["name": "t1"], ["name": "t2"]], "imagePullSecrets": [["name": "registry"]]])
        #expect(sa.secrets == ["t1", "t2"] && sa.imagePullSecrets == ["registry"] && sa.automountServiceAccountToken == nil)
        #expect(ServiceAccount(["metadata": ["name": "default"]]).secrets.isEmpty)
    }

    @Test func eventsOldAndNewStyle() {
        let old = Event(["type": "Normal", "reason": "Scheduled", "message": "assigned", "count": 3,
                         "firstTimestamp": "2026-01-02T03:04:05Z", "lastTimestamp": "2026-01-02T03:05:05Z",
                         "source": ["component": "default-scheduler", "host": "n1"],
                         "involvedObject": ["kind": "Pod", "name": "web-1", "namespace": "prod"]])
        #expect(old.type == "Normal" && old.reason == "Scheduled" && old.count == 3 && old.source.component == "default-scheduler" && old.source.host == "n1")
        #expect(old.lastTimestamp == Timestamp.parse("2026-01-02T03:05:05Z") && old.firstTimestamp == Timestamp.parse("2026-01-02T03:04:05Z"))
        #expect(old.involvedObject.kind == "Pod" && old.involvedObject.name == "web-1" && old.involvedObject.uid == nil)
        let new = Event(["eventTime": "2026-01-02T03:04:05.123456Z", "reportingComponent": "kubelet"])
        #expect(new.lastTimestamp == nil && new.eventTime != nil && new.reportingComponent == "kubelet" && new.source.component == nil && new.count == nil)
    }

    @Test func endpointSliceReadiness() {
        let slice = EndpointSlice(["addressType": "IPv4", "ports": [["name": "http", "port": 8080, "protocol": "TCP"]],
                                   "endpoints": [["addresses": ["10.0.0.1"], "conditions": ["ready": true]],
                                                 ["addresses": ["10.0.0.2"], "conditions": ["ready": false]],
                                                 ["addresses": ["10.0.0.3"], "nodeName": "n1", "targetRef": ["kind": "Pod", "name": "web-3"]]]])
        #expect(slice.addressType == "IPv4" && slice.ports.first?.port == 8080 && slice.ports.first?.name == "http")
        #expect(slice.endpoints.map(\.ready) == [true, false, nil])
        #expect(slice.endpoints.filter { $0.ready != false }.flatMap(\.addresses) == ["10.0.0.1", "10.0.0.3"])
        #expect(slice.endpoints[2].nodeName == "n1" && slice.endpoints[2].targetRef?.name == "web-3")
        #expect(EndpointPort([:]).port == nil)
    }

    @Test func listsTablesScaleAndStatusDetails() {
        let list = ObjectList(["metadata": ["resourceVersion": "42", "continue": "abc"], "items": [["metadata": ["name": "a"]]]])
        #expect(list.metadata.resourceVersion == "42" && list.metadata.continue == "abc" && list.items.map(\.metadata.name) == ["a"])
        #expect(ObjectList([:]).metadata.resourceVersion == nil && ObjectList([:]).items.isEmpty)

        let table = Table(["columnDefinitions": [["name": "Name", "type": "string"], ["name": "Node", "type": "string", "priority": 1]],
                           "rows": [["cells": ["web", .null], "object": ["metadata": ["name": "web", "namespace": "prod"]]], ["cells": ["x"]]]])
        #expect(table.columnDefinitions.map(\.priority) == [0, 1] && table.columnDefinitions[1].name == "Node")
        #expect(table.rows[0].cells == ["web", .null] && table.rows[0].object?.metadata.namespace == "prod" && table.rows[1].object == nil)

        #expect(Scale(["spec": ["replicas": 3], "status": ["replicas": 2, "selector": "app=web"]]).spec.replicas == 3)
        #expect(Scale(["status": ["selector": "app=web"]]).status.selector == "app=web" && Scale([:]).spec.replicas == 0)

        let details = StatusDetails(["name": "web", "group": "apps", "kind": "Deployment",
                                     "causes": [["reason": "FieldValueRequired", "message": "Required value", "field": "spec.selector"], ["message": "bad"]]])
        #expect(details.kind == "Deployment" && details.group == "apps" && details.name == "web")
        #expect(details.causes.map(\.field) == ["spec.selector", ""] && details.causes.map(\.message) == ["Required value", "bad"])
    }

    @Test func containerEnvProbesMountsAndState() {
        let c = Container(["name": "app", "command": ["sh", "-c"], "args": ["run"],
                           "env": [["name": "A", "value": "1"],
                                   ["name": "B", "valueFrom": ["secretKeyRef": ["name": "s", "key": "k", "optional": true]]],
                                   ["name": "C", "valueFrom": ["fieldRef": ["fieldPath": "metadata.name"]]],
                                   ["name": "D", "valueFrom": ["resourceFieldRef": ["resource": "limits.memory", "divisor": "1Mi"]]]],
                           "envFrom": [["configMapRef": ["name": "cm"], "prefix": "X_"], ["secretRef": ["name": "s"]]],
                           "volumeMounts": [["name": "data", "mountPath": "/data", "readOnly": true, "subPath": "sub"], ["name": "tmp", "mountPath": "/tmp"]],
                           "resources": ["limits": ["memory": "64Mi", "cpu": 1]],
                           "livenessProbe": ["httpGet": ["port": "http", "path": "/healthz"], "periodSeconds": 5],
                           "readinessProbe": ["tcpSocket": ["port": 8080]],
                           "startupProbe": ["exec": ["command": ["cat", "/ready"]]]])
        #expect(c.command == ["sh", "-c"] && c.args == ["run"] && Container([:]).command.isEmpty)
        #expect(c.env.map(\.name) == ["A", "B", "C", "D"] && c.env[0].value == "1" && c.env[0].valueFrom == nil)
        #expect(c.env[1].valueFrom?.secretKeyRef?.key == "k" && c.env[1].valueFrom?.secretKeyRef?.optional == true)
        #expect(c.env[2].valueFrom?.fieldRef?.apiVersion == "v1" && c.env[2].valueFrom?.fieldRef?.fieldPath == "metadata.name")
        #expect(c.env[3].valueFrom?.resourceFieldRef?.resource == "limits.memory" && c.env[3].valueFrom?.resourceFieldRef?.divisor?.value == 1_048_576)
        #expect(c.envFrom[0].configMapRef?.name == "cm" && c.envFrom[0].configMapRef?.optional == false && c.envFrom[0].prefix == "X_")
        #expect(c.envFrom[1].configMapRef == nil && c.envFrom[1].secretRef?.name == "s")
        #expect(c.volumeMounts.map(\.readOnly) == [true, false] && c.volumeMounts.map(\.subPath) == ["sub", nil])
        #expect(c.resources.limitQuantities[name: "cpu"]?.milliValue == 1000 && c.resources.requestQuantities[name: "cpu"] == nil)
        let http = c.livenessProbe?.httpGet
        #expect(http?.scheme == "HTTP" && http?.host == "" && http?.port == .string("http") && http?.path == "/healthz" && c.livenessProbe?.periodSeconds == 5)
        #expect(c.readinessProbe?.tcpSocket?.port == .int(8080) && c.readinessProbe?.httpGet == nil && c.readinessProbe?.execCommand == nil)
        #expect(c.startupProbe?.execCommand == ["cat", "/ready"])

        let status = ContainerStatus(["name": "app", "ready": true,
                                      "state": ["running": ["startedAt": "2026-01-02T03:04:05Z"]],
                                      "lastState": ["terminated": ["exitCode": 137, "reason": "OOMKilled", "signal": 9]]])
        #expect(status.state?.running?.startedAt == Timestamp.parse("2026-01-02T03:04:05Z") && status.state?.terminated == nil)
        #expect(status.lastState?.terminated?.exitCode == 137 && status.lastState?.terminated?.reason == "OOMKilled" && status.lastState?.terminated?.signal == 9)
        #expect(ContainerStatus(["name": "x"]).state == nil)
        #expect(ContainerState(["waiting": ["reason": "ContainerCreating"]]).waiting?.reason == "ContainerCreating")
    }

    @Test func labelSelectorAsWritten() {
        let s = LabelSelectorSpec(["matchLabels": ["app": "web"],
                                   "matchExpressions": [["key": "tier", "operator": "In", "values": ["a", "b"]], ["key": "canary", "operator": "DoesNotExist"]]])
        #expect(s.matchLabels == ["app": "web"] && s.matchExpressions.map(\.key) == ["tier", "canary"])
        #expect(s.matchExpressions.map(\.operator) == ["In", "DoesNotExist"] && s.matchExpressions.map(\.values) == [["a", "b"], []])
        #expect(LabelSelectorSpec(.emptyObject).matchLabels.isEmpty && LabelSelectorSpec(.emptyObject).matchExpressions.isEmpty)
    }

    @Test func volumeSources() {
        let volumes = Pod(["spec": ["volumes": [["name": "cfg", "configMap": ["name": "app-config"]],
                                                ["name": "certs", "secret": ["secretName": "tls", "optional": true]],
                                                ["name": "scratch", "emptyDir": ["medium": "Memory", "sizeLimit": "1Gi"]],
                                                ["name": "logs", "hostPath": ["path": "/var/log"]]]]]).spec.volumes
        #expect(volumes[0].configMap?.name == "app-config" && volumes[0].configMap?.optional == false && volumes[0].secret == nil)
        #expect(volumes[1].secret?.secretName == "tls" && volumes[1].secret?.optional == true)
        #expect(volumes[2].emptyDir?.medium == "Memory" && volumes[2].emptyDir?.sizeLimit?.text == "1Gi" && volumes[2].isEmptyDir)
        #expect(volumes[3].sourceField == "hostPath" && volumes[3].emptyDir == nil)
        #expect(Volume(["name": "x", "emptyDir": [:]]).emptyDir?.sizeLimit == nil && Volume(["name": "x", "emptyDir": [:]]).emptyDir?.medium == "")
    }
}
