import Testing
@testable import KubeModel

@Suite struct PatchTests {
    let deployment = try! JSONParser.parse("""
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d","labels":{"app":"x","tier":"web"}},
         "spec":{"replicas":2,"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%","maxUnavailable":"25%"}},
          "template":{"spec":{"containers":[
            {"name":"app","image":"app:1","env":[{"name":"A","value":"1"},{"name":"B","value":"2"}],"envFrom":[{"configMapRef":{"name":"c"}}],
             "ports":[{"containerPort":8080},{"containerPort":9090}]},
            {"name":"sidecar","image":"side:1"}]}}}}
        """)

    func smp(_ patch: String) throws -> JSONValue {
        try StrategicMergePatch().apply(JSONParser.parse(patch), to: deployment, typeName: "Deployment")
    }

    @Test func setImageKeepsOtherContainerFields() throws {
        let out = try smp(#"{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"app"},{"name":"sidecar"}],"containers":[{"image":"app:2","name":"app"}]}}}}"#)
        let c = out[path: ["spec", "template", "spec", "containers"]]?.arrayValue ?? []
        #expect(c.count == 2)
        #expect(c[0]["image"] == "app:2")
        #expect(c[0]["env"]?.arrayValue?.count == 2)
        #expect(c[0]["ports"]?.arrayValue?.count == 2)
    }

    @Test func kubectlDeleteDirectives() throws {
        // The exact body kubectl apply sent to drop env B, port 9090 and the sidecar (KUBECTL-WIRE §7).
        let out = try smp("""
            {"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"app"}],"containers":[
              {"$setElementOrder/env":[{"name":"A"}],"env":[{"$patch":"delete","name":"B"}],"envFrom":null,"name":"app",
               "$setElementOrder/ports":[{"containerPort":8080}],"ports":[{"$patch":"delete","containerPort":9090}]},
              {"$patch":"delete","name":"sidecar"}]}}}}
            """)
        let c = out[path: ["spec", "template", "spec", "containers"]]?.arrayValue ?? []
        #expect(c.count == 1)
        #expect(c[0]["env"] == [["name": "A", "value": "1"]])
        #expect(c[0]["ports"] == [["containerPort": 8080]])
        #expect(c[0]["envFrom"] == nil)
    }

    @Test func retainKeysDropsStaleRollingUpdate() throws {
        let out = try smp(#"{"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"}}}"#)
        #expect(out[path: ["spec", "strategy"]] == ["type": "Recreate"])
    }

    @Test func nullDeletesAndMapsMerge() throws {
        let out = try smp(#"{"metadata":{"labels":{"tier":null,"new":"y"}},"spec":{"paused":true}}"#)
        #expect(out[path: ["metadata", "labels"]] == ["app": "x", "new": "y"])
        #expect(out[path: ["spec", "paused"]] == true)
        let resumed = try StrategicMergePatch().apply(JSONParser.parse(#"{"spec":{"paused":null}}"#), to: out, typeName: "Deployment")
        #expect(resumed[path: ["spec", "paused"]] == nil)
    }

    @Test func setElementOrderReorders() throws {
        let out = try smp(#"{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"sidecar"},{"name":"app"}],"containers":[{"name":"sidecar","image":"side:2"}]}}}}"#)
        let names = out[path: ["spec", "template", "spec", "containers"]]?.arrayValue?.compactMap { $0["name"]?.stringValue }
        #expect(names == ["sidecar", "app"])
    }

    @Test func patchReplaceAndDeleteFromPrimitiveList() throws {
        let replaced = try smp(#"{"spec":{"template":{"spec":{"containers":[{"name":"only","image":"o:1"},{"$patch":"replace"}]}}}}"#)
        #expect(replaced[path: ["spec", "template", "spec", "containers"]]?.arrayValue?.count == 1)
        let withFinalizers = try StrategicMergePatch().apply(JSONParser.parse(#"{"metadata":{"finalizers":["a","b"]}}"#), to: deployment, typeName: "Deployment")
        let unioned = try StrategicMergePatch().apply(JSONParser.parse(#"{"metadata":{"finalizers":["c"]}}"#), to: withFinalizers, typeName: "Deployment")
        #expect(unioned[path: ["metadata", "finalizers"]] == ["a", "b", "c"])
        let removed = try StrategicMergePatch().apply(JSONParser.parse(#"{"metadata":{"$deleteFromPrimitiveList/finalizers":["a"]}}"#), to: unioned, typeName: "Deployment")
        #expect(removed[path: ["metadata", "finalizers"]] == ["b", "c"])
    }

    @Test func atomicListsAreReplaced() throws {
        let out = try smp(#"{"spec":{"template":{"spec":{"containers":[{"name":"app","envFrom":[{"secretRef":{"name":"s"}}]}]}}}}"#)
        #expect(out[path: ["spec", "template", "spec", "containers"]]?.arrayValue?.first?["envFrom"] == [["secretRef": ["name": "s"]]])
    }

    @Test func missingMergeKeyIsAnError() {
        #expect(throws: PatchError.self) { try smp(#"{"spec":{"template":{"spec":{"containers":[{"image":"x"}]}}}}"#) }
    }

    @Test func mergePatchRFC7386() throws {
        let out = MergePatch.apply(try JSONParser.parse(#"{"spec":{"replicas":5},"metadata":{"labels":{"app":null}}}"#), to: deployment)
        #expect(out[path: ["spec", "replicas"]] == 5)
        #expect(out[path: ["metadata", "labels"]] == ["tier": "web"])
        #expect(out[path: ["spec", "template", "spec", "containers"]]?.arrayValue?.count == 2)
    }

    @Test func jsonPatchOps() throws {
        let patch = try JSONParser.parse("""
            [{"op":"replace","path":"/spec/replicas","value":7},{"op":"add","path":"/metadata/labels/a~1b","value":"1"},
             {"op":"remove","path":"/spec/template/spec/containers/1"},{"op":"test","path":"/spec/replicas","value":7},
             {"op":"copy","from":"/spec/replicas","path":"/spec/minReadySeconds"},{"op":"move","from":"/metadata/labels/tier","path":"/metadata/labels/t"}]
            """)
        let out = try JSONPatch.apply(patch, to: deployment)
        #expect(out[path: ["spec", "replicas"]] == 7)
        #expect(out[path: ["spec", "minReadySeconds"]] == 7)
        #expect(out[path: ["metadata", "labels", "a/b"]] == "1")
        #expect(out[path: ["metadata", "labels", "t"]] == "web")
        #expect(out[path: ["spec", "template", "spec", "containers"]]?.arrayValue?.count == 1)
        #expect(throws: PatchError.self) { try JSONPatch.apply(JSONParser.parse(#"[{"op":"test","path":"/spec/replicas","value":1}]"#), to: deployment) }
        #expect(throws: PatchError.self) { try JSONPatch.apply(JSONParser.parse(#"[{"op":"replace","path":"/nope/x","value":1}]"#), to: deployment) }
        #expect(throws: PatchError.self) { try JSONPatch.apply(JSONParser.parse(#"{"op":"add"}"#), to: deployment) }
    }
}
