import Testing
@testable import KubeModel
@testable import KubeYAML

@Suite struct YAMLEncodingTests {
    @Test func writesKubectlStyle() throws {
        let v = try JSONParser.parse(#"{"kind":"Deployment","metadata":{"annotations":{"rev":"1","note":"a: b","multi":"line1\nline2\n"},"labels":{}},"spec":{"replicas":3,"paused":false,"list":[{"name":"a","ports":[{"containerPort":80}]},"x"],"empty":[],"s":"yes","t":"2024-01-01T00:00:00Z","n":"0777","u":"12:30","img":"nginx:1.25","star":"*","q":"it's"}}"#)
        let expected = """
            kind: Deployment
            metadata:
              annotations:
                multi: |
                  line1
                  line2
                note: 'a: b'
                rev: "1"
              labels: {}
            spec:
              empty: []
              img: nginx:1.25
              list:
              - name: a
                ports:
                - containerPort: 80
              - x
              "n": "0777"
              paused: false
              q: it's
              replicas: 3
              s: "yes"
              star: '*'
              t: "2024-01-01T00:00:00Z"
              u: "12:30"

            """
        #expect(YAMLEncoding.string(v) == expected)
    }

    @Test func roundTripsThroughTheDecoder() throws {
        let v = try JSONParser.parse(#"{"a":{"b":["1","true","null",""," lead","x\ny"],"c":1.5,"d":null}}"#)
        let back = try YAMLDecoding.documents(YAMLEncoding.string(v))
        #expect(back.first == v)
    }
}

@Suite struct ThreeWayMergeTests {
    let live = try! JSONParser.parse("""
        {"metadata":{"name":"d","annotations":{"other":"kept"}},"spec":{"replicas":3,"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%"}},
         "template":{"spec":{"containers":[{"name":"app","image":"app:1","imagePullPolicy":"IfNotPresent","env":[{"name":"A","value":"1"},{"name":"B","value":"2"}]},{"name":"sidecar","image":"s:1"}]}}}}
        """)
    let original = try! JSONParser.parse("""
        {"metadata":{"name":"d"},"spec":{"replicas":3,"template":{"spec":{"containers":[{"name":"app","image":"app:1","env":[{"name":"A","value":"1"},{"name":"B","value":"2"}]},{"name":"sidecar","image":"s:1"}]}}}}
        """)

    @Test func unchangedManifestGivesEmptyPatch() {
        #expect(ThreeWayMerge().patch(original: original, modified: original, current: live, typeName: "Deployment") == .emptyObject)
    }

    @Test func removalsBecomeDeleteDirectivesAndChangesMergeByKey() throws {
        let modified = try JSONParser.parse("""
            {"metadata":{"name":"d"},"spec":{"replicas":2,"template":{"spec":{"containers":[{"name":"app","image":"app:2","env":[{"name":"A","value":"1"}]}]}}}}
            """)
        let patch = ThreeWayMerge().patch(original: original, modified: modified, current: live, typeName: "Deployment")
        let applied = try StrategicMergePatch().apply(patch, to: live, typeName: "Deployment")
        #expect(applied[path: ["spec", "replicas"]] == 2)
        let containers = applied[path: ["spec", "template", "spec", "containers"]]?.arrayValue ?? []
        #expect(containers.count == 1)
        #expect(containers.first?["image"] == "app:2")
        #expect(containers.first?["env"] == [["name": "A", "value": "1"]])
        // Defaults the server added and fields other writers own are left alone.
        #expect(containers.first?["imagePullPolicy"] == "IfNotPresent")
        #expect(applied[path: ["metadata", "annotations", "other"]] == "kept")
        #expect(applied[path: ["spec", "strategy", "type"]] == "RollingUpdate")
    }
}
