import Foundation
import Testing
@testable import KubeModel

/// The typed views read what the JSON holds, and Kubernetes' defaults (or nil) where it holds
/// nothing.
@Suite struct ObjectViewTests {
    @Test func podFieldsAndAbsentOnes() {
        let pod = Pod([
            "metadata": ["name": "web-1", "namespace": "prod", "labels": ["app": "web"],
                         "ownerReferences": [["apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web", "uid": "u1", "controller": true]]],
            "spec": ["nodeName": "n1", "priority": 7, "nodeSelector": ["disk": "ssd"],
                     "containers": [["name": "c", "image": "nginx",
                                     "ports": [["containerPort": 80, "hostPort": 8080]],
                                     "resources": ["requests": ["cpu": "250m", "memory": "64Mi"]],
                                     "readinessProbe": ["initialDelaySeconds": 5]]]],
            "status": ["phase": "Running", "podIP": "10.0.0.5",
                       "conditions": [["type": "Ready", "status": "True", "lastTransitionTime": "2026-01-02T03:04:05Z"]]],
        ])
        #expect(pod.metadata.name == "web-1" && pod.metadata.namespace == "prod" && pod.metadata.labels == ["app": "web"])
        #expect(pod.metadata.controllerRef?.kind == "ReplicaSet" && pod.metadata.controllerRef?.uid == "u1")
        #expect(pod.spec.nodeName == "n1" && pod.spec.isBound && pod.spec.priority == 7)
        #expect(pod.spec.nodeSelector == ["disk": "ssd"])
        let c = pod.spec.containers[0]
        #expect(c.name == "c" && c.image == "nginx" && c.ports[0].containerPort == 80 && c.ports[0].hostPort == 8080)
        #expect(c.ports[0].protocol == nil)
        #expect(c.resources.requests.milliCPU == 250 && c.resources.requests.memory == 64 * 1024 * 1024)
        #expect(c.readinessProbe?.initialDelaySeconds == 5 && c.livenessProbe == nil)
        #expect(pod.status.phase == "Running" && pod.status.podIP == "10.0.0.5")
        let ready = pod.status.conditions[type: "Ready"]
        #expect(ready?.isTrue == true)
        #expect(ready?.lastTransitionTime == Timestamp.parse("2026-01-02T03:04:05Z"))
        #expect(pod.status.conditions[type: "PodScheduled"] == nil)

        let empty = Pod(["metadata": ["name": "x"]])
        #expect(empty.spec.nodeName == nil && !empty.spec.isBound && empty.spec.priority == nil)
        #expect(empty.spec.containers.isEmpty && empty.spec.tolerations.isEmpty && empty.spec.affinity.nodeAffinity.required == nil)
        #expect(empty.status.phase == nil && empty.status.startTime == nil && empty.status.conditions.isEmpty)
        #expect(empty.metadata.controllerRef == nil && !empty.metadata.isDeleting && empty.metadata.generation == 0)
        #expect(PodConditions.phase(empty.json) == "Pending")
    }

    @Test func deploymentDefaultsWhereAbsent() {
        let d = Deployment(["metadata": ["name": "web"], "spec": ["selector": ["matchLabels": ["app": "web"]]]])
        #expect(d.spec.replicas == nil)
        #expect(d.spec.minReadySeconds == 0 && !d.spec.paused)
        #expect(d.spec.revisionHistoryLimit == nil && d.spec.progressDeadlineSeconds == nil)
        #expect(d.spec.strategy.type == "RollingUpdate" && d.spec.strategy.rollingUpdate == nil)
        #expect(d.spec.strategy.rollingUpdate?.maxSurge == nil && d.spec.strategy.rollingUpdate?.maxUnavailable == nil)
        #expect(d.status.replicas == 0 && d.status.collisionCount == nil && d.status.conditions.isEmpty)
        #expect(d.spec.selector == ["matchLabels": ["app": "web"]])
    }

    @Test(arguments: [
        (JSONValue.int(2), IntOrPercent.int(2)), ("25%", .percent(25)), ("3", .int(3)), ("0%", .percent(0)),
    ])
    func intOrPercentSurge(written: JSONValue, read: IntOrPercent) {
        let d = Deployment(["spec": ["strategy": ["type": "RollingUpdate", "rollingUpdate": ["maxSurge": written, "maxUnavailable": written]]]])
        #expect(d.spec.strategy.rollingUpdate?.maxSurge == read)
        #expect(d.spec.strategy.rollingUpdate?.maxUnavailable == read)
    }

    @Test func intOrPercentRounding() {
        // 25% of 10: surge rounds up to 3, unavailable down to 2, as Kubernetes' fenceposts do.
        #expect(IntOrPercent.percent(25).value(total: 10, roundUp: true) == 3)
        #expect(IntOrPercent.percent(25).value(total: 10, roundUp: false) == 2)
        #expect(IntOrPercent.percent(25).description == "25%" && IntOrPercent.int(3).description == "3")
        #expect(Deployment(["spec": ["strategy": ["rollingUpdate": ["maxSurge": "many"]]]]).spec.strategy.rollingUpdate?.maxSurge == nil)
    }

    @Test func replicaSetAndTemplate() {
        let rs = ReplicaSet(["spec": ["replicas": 0, "minReadySeconds": 10,
                                      "template": ["metadata": ["labels": ["app": "web"]], "spec": ["containers": [["name": "c"]]]]],
                             "status": ["replicas": 2, "readyReplicas": 1]])
        #expect(rs.spec.replicas == 0 && rs.spec.minReadySeconds == 10)
        #expect(rs.spec.template.metadata.labels == ["app": "web"] && rs.spec.template.spec.containers.map(\.name) == ["c"])
        #expect(rs.status.replicas == 2 && rs.status.readyReplicas == 1 && rs.status.availableReplicas == 0)
        #expect(ReplicaSet(["spec": [:]]).spec.replicas == nil)
    }

    @Test func nodeQuantitiesAndTaints() {
        let node = Node(["metadata": ["name": "n1"],
                         "spec": ["taints": [["key": "k", "value": "v", "effect": "NoSchedule"]]],
                         "status": ["capacity": ["cpu": "4", "memory": "16Gi", "pods": 110],
                                    "allocatable": ["cpu": "3500m", "pods": "100"],
                                    "conditions": [["type": "Ready", "status": "Unknown", "lastHeartbeatTime": "2026-01-02T03:04:05Z"]]]])
        #expect(node.spec.taints == [Taint(key: "k", value: "v", effect: "NoSchedule")] && !node.spec.unschedulable)
        #expect(node.status.capacity?[name: "pods"]?.value == 110)
        #expect(node.status.capacity?[name: "memory"].map { Int64($0.value) } == 17_179_869_184)
        #expect(node.status.allocatable?[name: "cpu"]?.milliValue == 3500)
        #expect(node.status.allocatable?[name: "pods"]?.text == "100")
        #expect(node.status.allocatable?[name: "memory"] == nil)
        #expect(node.status.allocatable?.list.milliCPU == 3500)
        #expect(node.status.conditions[type: "Ready"]?.status == "Unknown")
        #expect(node.status.conditions[type: "Ready"]?.lastHeartbeatTime == Timestamp.parse("2026-01-02T03:04:05Z"))
        #expect(Node(["metadata": ["name": "n2"]]).status.capacity == nil)
    }

    @Test func schedulingFieldsWithDefaults() {
        let spec = Pod(["spec": [
            "topologySpreadConstraints": [["topologyKey": "zone", "labelSelector": ["matchLabels": ["a": "b"]]]],
            "affinity": ["nodeAffinity": ["requiredDuringSchedulingIgnoredDuringExecution": ["nodeSelectorTerms": [["matchFields": [["key": "metadata.name", "operator": "In", "values": ["n1"]]]]]],
                                          "preferredDuringSchedulingIgnoredDuringExecution": [["weight": 3, "preference": ["matchExpressions": [["key": "disk", "operator": "Exists"]]]]]],
                         "podAntiAffinity": ["requiredDuringSchedulingIgnoredDuringExecution": [["topologyKey": "kubernetes.io/hostname", "namespaces": ["a"]]]]],
        ]]).spec
        let c = spec.topologySpreadConstraints[0]
        #expect(c.maxSkew == 1 && c.minDomains == 1 && c.whenUnsatisfiable == "DoNotSchedule")
        #expect(c.nodeAffinityPolicy == "Honor" && c.nodeTaintsPolicy == "Ignore" && c.topologyKey == "zone")
        #expect(spec.affinity.nodeAffinity.required?.first?.matches(name: "n1", labels: [:]) == true)
        #expect(spec.affinity.nodeAffinity.preferred.first?.weight == 3)
        #expect(spec.affinity.podAntiAffinity.required.first?.topologyKey == "kubernetes.io/hostname")
        #expect(spec.affinity.podAntiAffinity.required.first?.namespaces == ["a"])
        #expect(spec.affinity.podAntiAffinity.required.first?.labelSelector == nil)
        #expect(spec.affinity.podAffinity.required.isEmpty && spec.affinity.podAffinity.preferred.isEmpty)
    }

    @Test func namespaceLeaseAndGenericMetadata() {
        #expect(Namespace(["spec": ["finalizers": ["kubernetes"]], "status": ["phase": "Active"]]).spec.finalizers == ["kubernetes"])
        #expect(Namespace(["metadata": ["name": "a"]]).status.phase == nil)
        let lease = Lease(["spec": ["holderIdentity": "n1", "renewTime": "2026-01-02T03:04:05.000000Z", "leaseDurationSeconds": 40]])
        #expect(lease.spec.holderIdentity == "n1" && lease.spec.leaseDurationSeconds == 40 && lease.spec.renewTime != nil)
        let any: JSONValue = ["metadata": ["name": "x", "deletionTimestamp": "2026-01-02T03:04:05Z", "deletionGracePeriodSeconds": 30,
                                           "ownerReferences": [["uid": "a"], ["uid": "b", "controller": true]]]]
        #expect(any.metadata.isDeleting && any.metadata.deletionGracePeriodSeconds == 30)
        #expect(any.metadata.ownerReferences.map(\.uid) == ["a", "b"] && any.metadata.controllerRef?.uid == "b")
    }
}
