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
        #expect(t.typeError == "json: cannot unmarshal string into Go struct field Deployment.spec.replicas of type int32")
    }

    @Test func requiredFieldsAndSelectorMismatch() {
        #expect(errors(manifest { $0.set(["spec", "selector"], nil) }).contains("spec.selector: Required value"))
        let mismatch = errors(manifest { $0.set(["spec", "selector", "matchLabels", "app"], "other") })
        #expect(mismatch.contains { $0.hasPrefix("spec.template.metadata.labels: Invalid value: ") && $0.hasSuffix("`selector` does not match template `labels`") })
        #expect(errors(manifest { $0.set(["spec", "template", "spec", "containers"], [["name": "a"]]) }).contains("spec.template.spec.containers[0].image: Required value"))
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
