import Testing
@testable import KubeModel

@Suite struct ValidationTests {
    let deploy = ResourceCatalog.find(group: "apps", version: "v1", plural: "deployments")!

    func manifest(_ mutate: (inout JSONValue) -> Void = { _ in }) -> JSONValue {
        var d: JSONValue = [
            "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "myapp"],
            "spec": ["replicas": 3, "selector": ["matchLabels": ["app": "myapp"]],
                     "template": ["metadata": ["labels": ["app": "myapp"]],
                                  "spec": ["containers": [["name": "myapp", "image": "myapp:1.0.0",
                                                           "resources": ["requests": ["memory": "256Mi", "cpu": "200m"]]]]]]],
        ]
        mutate(&d)
        return d
    }

    func errors(_ d: JSONValue, old: JSONValue? = nil) -> [String] {
        var obj = SchemaValidator.check(d, typeName: "Deployment").pruned
        Defaults.apply(kind: "Deployment", &obj)
        return (SchemaValidator.check(d, typeName: "Deployment").errors + Validation.validate(obj, old: old, info: deploy)).map(\.text)
    }

    @Test func validManifestPasses() { #expect(errors(manifest()).isEmpty) }

    @Test func defaultsMatchKubernetes() {
        var d = manifest()
        Defaults.apply(kind: "Deployment", &d)
        #expect(d[path: ["spec", "strategy"]] == ["type": "RollingUpdate", "rollingUpdate": ["maxSurge": "25%", "maxUnavailable": "25%"]])
        #expect(d[path: ["spec", "revisionHistoryLimit"]] == 10)
        #expect(d[path: ["spec", "progressDeadlineSeconds"]] == 600)
        let pod = d[path: ["spec", "template", "spec"]]
        #expect(pod?["restartPolicy"] == "Always")
        #expect(pod?["terminationGracePeriodSeconds"] == 30)
        #expect(pod?["containers"]?.arrayValue?.first?["imagePullPolicy"] == "IfNotPresent")
    }

    @Test func unknownFieldsAndWrongTypesAreFoundWithPaths() {
        let r = SchemaValidator.check(manifest { $0.set(["spec", "replica"], 3); $0.set(["spec", "template", "spec", "containers"], [["name": "a", "image": "b", "imagePullPolicyy": "x"]]) }, typeName: "Deployment")
        #expect(Set(r.unknownFields) == ["spec.replica", "spec.template.spec.containers[0].imagePullPolicyy"])
        #expect(r.pruned[path: ["spec", "replica"]] == nil)
        let t = SchemaValidator.check(manifest { $0.set(["spec", "replicas"], "three") }, typeName: "Deployment")
        // encoding/json names the innermost struct and the field path without indices.
        #expect(t.typeError == "json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32")
        let port = SchemaValidator.check(manifest { $0.set(["spec", "template", "spec", "containers"], [["name": "a", "image": "b", "ports": [["containerPort": "80"]]]]) }, typeName: "Deployment")
        #expect(port.typeError == "json: cannot unmarshal string into Go struct field ContainerPort.spec.template.spec.containers.ports.containerPort of type int32")
        let labels = SchemaValidator.check(manifest { $0.set(["metadata", "labels"], ["a": 1]) }, typeName: "Deployment")
        #expect(labels.typeError == "json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string")
    }

    @Test func integersOutsideTheirGoTypeAreDecodeErrors() {
        let big = SchemaValidator.check(manifest { $0.set(["spec", "replicas"], 2147483648) }, typeName: "Deployment")
        #expect(big.typeError == "json: cannot unmarshal number 2147483648 into Go struct field DeploymentSpec.spec.replicas of type int32")
        let small = SchemaValidator.check(manifest { $0.set(["spec", "minReadySeconds"], -2147483649) }, typeName: "Deployment")
        #expect(small.typeError == "json: cannot unmarshal number -2147483649 into Go struct field DeploymentSpec.spec.minReadySeconds of type int32")
        #expect(SchemaValidator.check(manifest { $0.set(["spec", "replicas"], 2147483647) }, typeName: "Deployment").typeError == nil)
        // terminationGracePeriodSeconds is an int64 in Go.
        let long = manifest { $0.set(["spec", "template", "spec", "terminationGracePeriodSeconds"], 4294967296) }
        #expect(SchemaValidator.check(long, typeName: "Deployment").typeError == nil)
    }

    @Test func requiredFieldsAndSelectorMismatch() {
        #expect(errors(manifest { $0.set(["spec", "selector"], nil) }).contains("spec.selector: Required value"))
        let mismatch = errors(manifest { $0.set(["spec", "selector", "matchLabels", "app"], "other") })
        #expect(mismatch.contains { $0.hasPrefix("spec.template.metadata.labels: Invalid value: ") && $0.hasSuffix("`selector` does not match template `labels`") })
        #expect(errors(manifest { $0.set(["spec", "template", "spec", "containers"], [["name": "a"]]) }).contains("spec.template.spec.containers[0].image: Required value"))
    }

    /// The file modes and item paths a kubelet would write, as ValidateVolumes checks them.
    @Test func volumeModesAndItemPaths() {
        let e = errors(manifest { $0.set(["spec", "template", "spec", "volumes"], [
            ["name": "a", "secret": ["secretName": "s", "defaultMode": -1, "items": [["key": "k", "path": "../up", "mode": 512]]]],
            ["name": "b", "configMap": ["name": "c", "items": [["key": "k", "path": "/abs"]]]],
            ["name": "c", "downwardAPI": ["defaultMode": 420, "items": [["path": "", "fieldRef": ["fieldPath": "metadata.name"]]]]],
        ]) })
        let message = "must be a number between 0 and 0777 (octal), both inclusive"
        #expect(e.contains("spec.template.spec.volumes[0].secret.defaultMode: Invalid value: -1: \(message)"), "\(e)")
        #expect(e.contains("spec.template.spec.volumes[0].secret.items[0].mode: Invalid value: 512: \(message)"), "\(e)")
        #expect(e.contains("spec.template.spec.volumes[0].secret.items[0].path: Invalid value: \"../up\": must not contain '..'"), "\(e)")
        #expect(e.contains("spec.template.spec.volumes[1].configMap.items[0].path: Invalid value: \"/abs\": must be a relative path"), "\(e)")
        #expect(e.contains("spec.template.spec.volumes[2].downwardAPI.items[0].path: Required value"), "\(e)")
        #expect(e.count == 5, "\(e)")
    }

    @Test func badNameAndQuantity() {
        let e = errors(manifest { $0.set(["metadata", "name"], "Bad_Name") })
        #expect(e.contains { $0.hasPrefix("metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain") })
        let q = errors(manifest { $0.set(["spec", "template", "spec", "containers"], [["name": "a", "image": "b", "resources": ["limits": ["memory": "256Mb"]]]]) })
        #expect(q.contains("spec.template.spec.containers[0].resources.limits[memory]: Invalid value: \"256Mb\": \(Quantity.formatMessage)"))
    }

    @Test func immutableSelector() {
        var old = manifest()
        Defaults.apply(kind: "Deployment", &old)
        let changed = manifest { $0.set(["spec", "selector", "matchLabels"], ["app": "x"]); $0.set(["spec", "template", "metadata", "labels"], ["app": "x"]) }
        #expect(errors(changed, old: old).contains { $0.hasPrefix("spec.selector: Invalid value: ") && $0.hasSuffix("field is immutable") })
    }

    @Test func strategyRules() {
        #expect(errors(manifest { $0.set(["spec", "strategy"], ["type": "Recreate", "rollingUpdate": ["maxSurge": 1]]) })
            .contains("spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"))
        #expect(errors(manifest { $0.set(["spec", "strategy"], ["type": "Sideways"]) })
            .contains("spec.strategy.type: Unsupported value: \"Sideways\": supported values: \"Recreate\", \"RollingUpdate\""))
        #expect(errors(manifest { $0.set(["spec", "strategy", "rollingUpdate"], ["maxSurge": 0, "maxUnavailable": 0]) })
            .contains("spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0"))
        #expect(errors(manifest { $0.set(["spec", "replicas"], -1) }).contains("spec.replicas: Invalid value: -1: must be greater than or equal to 0"))
    }

    @Test func secretStringDataFoldsIntoData() {
        var s: JSONValue = ["kind": "Secret", "stringData": ["database-url": "postgres://x"]]
        Defaults.apply(kind: "Secret", &s)
        #expect(s["stringData"] == nil)
        #expect(s[path: ["data", "database-url"]] == .string(Base64.encode(Array("postgres://x".utf8))))
        #expect(s["type"] == "Opaque")
        #expect(Base64.decode(Base64.encode(Array("hunter2".utf8))) == Array("hunter2".utf8))
    }

    @Test func deploymentDurationsAndPodNodeName() {
        #expect(errors(manifest { $0.set(["spec", "progressDeadlineSeconds"], -1) })
            .contains("spec.progressDeadlineSeconds: Invalid value: -1: must be greater than or equal to 0"))
        #expect(errors(manifest { $0.set(["spec", "progressDeadlineSeconds"], 0) })
            .contains("spec.progressDeadlineSeconds: Invalid value: 0: must be greater than minReadySeconds"))
        #expect(errors(manifest { $0.set(["spec", "template", "spec", "nodeName"], "../../etc") })
            .contains { $0.hasPrefix("spec.template.spec.nodeName: Invalid value: \"../../etc\": a lowercase RFC 1123 subdomain") })
        #expect(errors(manifest { $0.set(["spec", "template", "spec", "nodeName"], "node-1.zone") }).isEmpty)
        let negative = manifest { $0.set(["spec", "template", "spec", "terminationGracePeriodSeconds"], -3) }
        #expect(errors(negative).isEmpty)
        #expect(Validation.warnings(negative, info: deploy) == ["spec.template.spec.terminationGracePeriodSeconds: must be >= 0; negative values are invalid and will be treated as 1"])
    }

    @Test func servicePortsAndConfigSize() {
        let svc = ResourceCatalog.find(group: "", version: "v1", plural: "services")!
        func serviceErrors(_ type: String, _ port: JSONValue) -> [String] {
            var s: JSONValue = ["metadata": ["name": "web"], "spec": ["type": .string(type), "ports": [port]]]
            Defaults.apply(kind: "Service", &s)
            return Validation.validate(s, old: nil, info: svc).map(\.text)
        }
        #expect(serviceErrors("ClusterIP", ["port": 53, "protocol": "ICMP"]) == ["spec.ports[0].protocol: Unsupported value: \"ICMP\": supported values: \"SCTP\", \"TCP\", \"UDP\""])
        #expect(serviceErrors("NodePort", ["port": 80, "nodePort": 32768]) == ["spec.ports[0].nodePort: Invalid value: 32768: provided port is not in the valid range. The range of valid ports is 30000-32767"])
        #expect(serviceErrors("LoadBalancer", ["port": 80, "nodePort": 30000]).isEmpty)
        #expect(serviceErrors("ClusterIP", ["port": 80, "nodePort": 30000]) == ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"])
        let cm = ResourceCatalog.find(group: "", version: "v1", plural: "configmaps")!
        let half = String(repeating: "x", count: 512 * 1024)
        let two: JSONValue = ["metadata": ["name": "c"], "data": ["a": .string(half)], "binaryData": ["b": .string(Base64.encode(Array(repeating: 0, count: 512 * 1024 + 1)))]]
        #expect(Validation.validate(two, old: nil, info: cm).map(\.text) == ["[]: Too long: may not be more than 1048576 bytes"])
    }

    @Test func defaultsGoWritesForStructs() {
        var pod: JSONValue = ["spec": ["containers": [["name": "c", "image": "i"]]]]
        Defaults.apply(kind: "Pod", &pod)
        #expect(pod[path: ["spec", "containers"]]?.arrayValue?.first?["resources"] == .emptyObject)
        var svc: JSONValue = ["spec": ["ports": [["port": 80]]]]
        Defaults.apply(kind: "Service", &svc)
        #expect(svc["status"] == ["loadBalancer": .emptyObject])
        var hpa: JSONValue = ["spec": ["maxReplicas": 3]]
        Defaults.apply(kind: "HorizontalPodAutoscaler", &hpa)
        #expect(hpa[path: ["spec", "metrics"]]?.arrayValue?.first?[path: ["resource", "target", "averageUtilization"]] == 80)
        var withMetrics: JSONValue = ["spec": ["maxReplicas": 3, "metrics": [["type": "Resource", "resource": ["name": "memory", "target": ["type": "Utilization", "averageUtilization": 60]]]]]]
        Defaults.apply(kind: "HorizontalPodAutoscaler", &withMetrics)
        #expect(withMetrics[path: ["spec", "metrics"]]?.arrayValue?.count == 1)
    }

    @Test func namesAndLabels() {
        #expect(Naming.dns1123SubdomainProblem("my-app.example") == nil)
        #expect(Naming.dns1123SubdomainProblem("-bad") != nil)
        #expect(Naming.dns1035LabelProblem("1svc") != nil)
        #expect(Naming.qualifiedNameProblem("app.kubernetes.io/name") == nil)
        #expect(Naming.qualifiedNameProblem("a/b/c") != nil)
        #expect(Naming.labelValueProblem("ok_1") == nil)
        #expect(Naming.labelValueProblem("not ok") != nil)
    }
}

@Suite struct OmitEmptyTests {
    @Test func emptyMapsAndListsAreDroppedLikeGoOmitempty() {
        let r = SchemaValidator.check(["metadata": ["name": "x", "annotations": .emptyObject, "labels": ["a": "b"]], "data": .emptyObject, "binaryData": ["k": "eA=="]], typeName: "ConfigMap")
        #expect(r.pruned[path: ["metadata", "annotations"]] == nil)
        #expect(r.pruned["data"] == nil)
        #expect(r.pruned[path: ["metadata", "labels"]] == ["a": "b"])
        // Structs stay, even when empty (resources: {} as Kubernetes prints it).
        let pod = SchemaValidator.check(["spec": ["containers": [["name": "c", "image": "i", "resources": .emptyObject, "env": []]]]], typeName: "Pod")
        #expect(pod.pruned[path: ["spec", "containers"]]?.arrayValue?.first?["resources"] == .emptyObject)
        #expect(pod.pruned[path: ["spec", "containers"]]?.arrayValue?.first?["env"] == nil)
    }
}

@Suite struct AnnotationSizeTests {
    @Test func annotationsAreLimitedTo256KiB() {
        let info = ResourceCatalog.find(apiVersion: "v1", kind: "ConfigMap")!
        func object(_ size: Int) -> JSONValue {
            ["metadata": ["name": "a", "annotations": ["k": .string(String(repeating: "x", count: size - 1))]]]
        }
        #expect(Validation.validate(object(262_144), old: nil, info: info).isEmpty)
        #expect(Validation.validate(object(262_145), old: nil, info: info).map(\.text) == ["metadata.annotations: Too long: may not be more than 262144 bytes"])
    }
}
