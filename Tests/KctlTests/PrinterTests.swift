import KubeClient
import KubeModel
import Testing
@testable import kctl

/// Golden output of kctl's printers, each compared with what kubectl 1.32 prints for the same
/// objects (the end-to-end comparison lives in KctlParityTests).
@Suite struct PrinterTests {
    /// A server-side Table as kplane and kube-apiserver send it for `get deploy`.
    static let deploymentTable: JSONValue = {
        let text = #"""
        {"kind":"Table","apiVersion":"meta.k8s.io/v1","metadata":{"resourceVersion":"9"},
         "columnDefinitions":[{"name":"Name","type":"string","priority":0},{"name":"Ready","type":"string","priority":0},
           {"name":"Up-to-date","type":"integer","priority":0},{"name":"Available","type":"integer","priority":0},
           {"name":"Age","type":"string","priority":0},{"name":"Containers","type":"string","priority":1},
           {"name":"Images","type":"string","priority":1},{"name":"Selector","type":"string","priority":1}],
         "rows":[
           {"cells":["myapp","3/3",3,3,"5m3s","myapp","myapp:1.0.0","app=myapp"],
            "object":{"kind":"PartialObjectMetadata","metadata":{"name":"myapp","namespace":"default","labels":{"app":"myapp","tier":"web"}}}},
           {"cells":["a-much-longer-name","0/1",0,0,"45s","web","nginx",null],
            "object":{"kind":"PartialObjectMetadata","metadata":{"name":"a-much-longer-name","namespace":"team"}}}]}
        """#
        return (try? JSONParser.parse(text)) ?? .null
    }()

    static func get(_ args: String...) throws -> Get { try Get.parse(args) }

    @Test func tableColumnsAreAlignedAsKubectlAligns() throws {
        let (text, widths) = try Self.get("deploy").render([Self.deploymentTable], .deployments, prefix: false, headers: true)
        #expect(text == """
            NAME                 READY   UP-TO-DATE   AVAILABLE   AGE
            myapp                3/3     3            3           5m3s
            a-much-longer-name   0/1     0            0           45s

            """)
        #expect(widths == [21, 8, 13, 12, 0])
    }

    @Test func wideAddsPriorityColumnsAndNullCellsPrintNone() throws {
        let (text, _) = try Self.get("deploy", "-o", "wide").render([Self.deploymentTable], .deployments, prefix: false, headers: true)
        #expect(text == """
            NAME                 READY   UP-TO-DATE   AVAILABLE   AGE    CONTAINERS   IMAGES        SELECTOR
            myapp                3/3     3            3           5m3s   myapp        myapp:1.0.0   app=myapp
            a-much-longer-name   0/1     0            0           45s    web          nginx         <none>

            """)
    }

    @Test func allNamespacesLabelsPrefixesAndNoHeaders() throws {
        let (text, _) = try Self.get("deploy", "-A", "--show-labels").render([Self.deploymentTable], .deployments, prefix: true, headers: true)
        #expect(text == """
            NAMESPACE   NAME                                 READY   UP-TO-DATE   AVAILABLE   AGE    LABELS
            default     deployment.apps/myapp                3/3     3            3           5m3s   app=myapp,tier=web
            team        deployment.apps/a-much-longer-name   0/1     0            0           45s    <none>

            """)
        let (bare, _) = try Self.get("deploy", "--no-headers").render([Self.deploymentTable], .deployments, prefix: false, headers: false)
        #expect(bare == "myapp                3/3   3     3     5m3s\na-much-longer-name   0/1   0     0     45s\n")
    }

    @Test func tableWriterKeepsTheListingsWidthsForWatchRows() {
        var t = TableWriter(minimumWidths: [21, 8])
        t.add(["x", "1/1", "Running"])
        #expect(t.render() == "x                    1/1     Running\n")
    }

    @Test func goTabWriterAlignsEachRunOfLinesWithACell() {
        let text = "Name:\tmyapp\nLabels:\tapp=myapp\n\ttier=web\nContainers:\n  myapp:\n    Image:\tmyapp:1.0.0\n    Port:\t3000/TCP\n"
        #expect(GoTabWriter().format(text) == """
            Name:    myapp
            Labels:  app=myapp
                     tier=web
            Containers:
              myapp:
                Image:  myapp:1.0.0
                Port:   3000/TCP

            """)
    }

    @Test func describeMetaHidesLastAppliedAndSaysNoneForEmptyMaps() {
        let o: JSONValue = ["metadata": ["name": "myapp", "namespace": "default", "labels": ["b": "2", "a": "1"],
                                         "annotations": ["kubectl.kubernetes.io/last-applied-configuration": "{}"]]]
        var w = DescribeWriter()
        w.meta(o)
        #expect(w.rendered == "Name:         myapp\nNamespace:    default\nLabels:       a=1\n              b=2\nAnnotations:  <none>\n")
    }

    @Test func objectsPrintAsNameYAMLJSONAndList() throws {
        let cm: JSONValue = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "c1", "namespace": "default"], "data": ["a": "yes", "b": "0777"]]
        let resource = APIResource.builtin("configmaps")
        let print = { (objects: [JSONValue], format: String, single: Bool) in
            try ObjectPrinter.print(objects, format: format, single: single) { _ in resource }
        }
        #expect(try print([cm], "name", true) == "configmap/c1\n")
        #expect(try print([cm], "yaml", true) == """
            apiVersion: v1
            data:
              a: "yes"
              b: "0777"
            kind: ConfigMap
            metadata:
              name: c1
              namespace: default

            """)
        #expect(try print([cm], "json", false).hasPrefix("{\n    \"apiVersion\": \"v1\",\n    \"items\": [\n        {\n            \"apiVersion\": \"v1\","))
        #expect(try print([cm], "json", false).hasSuffix("    ],\n    \"kind\": \"List\",\n    \"metadata\": {\n        \"resourceVersion\": \"\"\n    }\n}\n"))
        #expect { try print([cm], "xml", true) } throws: {
            ($0 as? KctlError)?.message == "unable to match a printer suitable for the output format \"xml\", allowed formats are: custom-columns,json,jsonpath,name,wide,yaml"
        }
    }

    @Test func serverErrorsReadAsKubectlsLines() throws {
        let notFound = APIStatusError(response: APIResponse(status: 404, contentType: "application/json", body: Array(
            #"{"kind":"Status","apiVersion":"v1","status":"Failure","message":"deployments.apps \"x\" not found","reason":"NotFound","code":404}"#.utf8)))
        #expect(ErrorText.server(notFound) == #"Error from server (NotFound): deployments.apps "x" not found"#)
        #expect(ErrorText.server(notFound, action: #"error when retrieving current configuration of "x""#)
            == #"Error from server (NotFound): error when retrieving current configuration of "x": deployments.apps "x" not found"#)
        let invalid = APIStatusError(response: APIResponse(status: 422, contentType: "application/json", body: Array(#"""
            {"kind":"Status","status":"Failure","reason":"Invalid","code":422,"message":"x",
             "details":{"name":"myapp","group":"apps","kind":"Deployment","causes":[
               {"reason":"FieldValueInvalid","message":"Invalid value: -1: must be greater than or equal to 0","field":"spec.replicas"},
               {"reason":"FieldValueRequired","message":"Required value","field":"spec.selector"}]}}
            """#.utf8)))
        #expect(ErrorText.server(invalid) == """
            The Deployment.apps "myapp" is invalid: \n* spec.replicas: Invalid value: -1: must be greater than or equal to 0
            * spec.selector: Required value
            """)
        let refused = APIStatusError(code: 0, reason: "", message: "The connection to the server 127.0.0.1:1 was refused - did you specify the right host or port?")
        #expect(ErrorText.describe(refused) == refused.message)
    }
}
