import KubeModel
import Testing
@testable import kctl

/// kubectl's JSONPath, with each expected string taken from `kubectl get deploy myapp -o
/// jsonpath=…` (1.32) on the same object.
@Suite struct JSONPathTests {
    static let deployment: JSONValue = {
        let text = #"""
        {"apiVersion":"apps/v1","kind":"Deployment",
         "metadata":{"name":"myapp","generation":1,"annotations":{"deployment.kubernetes.io/revision":"1"}},
         "spec":{"replicas":3,"strategy":{"rollingUpdate":{"maxSurge":"25%"}},
           "template":{"spec":{"containers":[{"name":"myapp","image":"myapp:1.0.0",
             "ports":[{"containerPort":3000,"protocol":"TCP"}],
             "env":[{"name":"NODE_ENV","value":"production"},{"name":"DATABASE_URL"}],
             "resources":{"limits":{"cpu":"500m"},"requests":{"cpu":"200m"}}}]}}},
         "status":{"replicas":3,"conditions":[{"type":"Available","status":"True"},{"type":"Progressing","status":"True"}]}}
        """#
        return (try? JSONParser.parse(text)) ?? .null
    }()

    static func render(_ template: String, _ doc: JSONValue = deployment) throws -> String {
        try JSONPath(template).render(doc)
    }

    @Test(arguments: [
        ("{.spec.replicas}", "3"),
        ("{.metadata.name} has {.status.replicas}", "myapp has 3"),
        ("{$.kind}", "Deployment"),
        ("{.spec.template.spec.containers[*].ports[0].containerPort}", "3000"),
        ("{.spec.template.spec.containers[0].env[?(@.name==\"NODE_ENV\")].value}", "production"),
        ("{.spec.template.spec.containers[0].env[?(@.value)].name}", "NODE_ENV"),
        ("{.spec.template.spec.containers[0].env[*].name}", "NODE_ENV DATABASE_URL"),
        ("{range .spec.template.spec.containers[*]}{.name}{\"\\t\"}{.image}{\"\\n\"}{end}", "myapp\tmyapp:1.0.0\n"),
        ("{..image}", "myapp:1.0.0"),
        ("{.status.conditions[-1:].type}", "Progressing"),
        ("{.status.conditions[0:1].type}", "Available"),
        ("{.spec.template.spec.containers[0].resources}", #"{"limits":{"cpu":"500m"},"requests":{"cpu":"200m"}}"#),
        ("{.spec.template.spec.containers[0].ports}", #"[{"containerPort":3000,"protocol":"TCP"}]"#),
        ("{.metadata.annotations.deployment\\.kubernetes\\.io/revision}", "1"),
        ("{.metadata.annotations['deployment\\.kubernetes\\.io/revision']}", "1"),
        // kubectl reads a quoted key as a dotted path, so an unescaped dotted key finds nothing.
        ("{.metadata.annotations['deployment.kubernetes.io/revision']}", ""),
        ("{['metadata.name']}", "myapp"),
        ("{.nope}{.spec.paused}", ""),
        ("{.spec.template.spec.containers[0].env[?(@.value!=\"x\")].name}", "NODE_ENV"),
        ("{.spec.template.spec.containers[0].ports[?(@.containerPort>2999)].protocol}", "TCP"),
        ("{.spec.template.spec.containers[0].ports[?(@.containerPort<3000)].protocol}", ""),
        ("{.spec.replicas}{\"a\\\"b}\"}", "3a\"b}"),
        ("{.spec.strategy.rollingUpdate.maxSurge}", "25%"),
    ])
    func rendersAsKubectl(template: String, expected: String) throws {
        #expect(try Self.render(template) == expected)
    }

    @Test func rangeOverAListPrintsEachItem() throws {
        let list: JSONValue = ["items": [["metadata": ["name": "a"]], ["metadata": ["name": "b"]]]]
        #expect(try Self.render("{range .items[*]}{.metadata.name}{\"\\n\"}{end}", list) == "a\nb\n")
        #expect(try Self.render("{.items[*].metadata.name}", list) == "a b")
        #expect(try Self.render("{.items[1].metadata.name}", list) == "b")
        // A range that is never ended runs to the end of the template.
        #expect(try Self.render("{range .items[*]}{.metadata.name}", list) == "ab")
    }

    @Test(arguments: [
        ("{.spec.replicas", "error parsing jsonpath {.spec.replicas, unclosed action"),
        ("{end}", "error executing jsonpath \"{end}\": Error executing template: not in range, nothing to end."),
        ("{.items[x]}", "error parsing jsonpath {.items[x]}, invalid array index x"),
        ("{.items[?(@.x==\"a\"]}", "error parsing jsonpath {.items[?(@.x==\"a\"]}, unterminated filter"),
        ("{.items[0}", "error parsing jsonpath {.items[0}, unterminated array"),
    ])
    func badTemplatesAreRejected(template: String, message: String) {
        #expect { try JSONPath(template) } throws: { ($0 as? KctlError)?.message == message }
    }
}

@Suite struct CustomColumnsTests {
    @Test func columnsFromPathsWithNoneForMissingAndCommasForMany() throws {
        let columns = try CustomColumns("NAME:.metadata.name,IMAGES:.spec.template.spec.containers[*].image,PORTS:.spec.template.spec.containers[0].ports[*].containerPort,X:.nope")
        #expect(try columns.render([JSONPathTests.deployment]) == """
            NAME    IMAGES        PORTS   X
            myapp   myapp:1.0.0   3000    <none>

            """)
        let braces = try CustomColumns("NAME:{.metadata.name},ENV:spec.template.spec.containers[0].env[*].name")
        #expect(try braces.render([JSONPathTests.deployment]) == "NAME    ENV\nmyapp   NODE_ENV,DATABASE_URL\n")
    }

    @Test(arguments: [("NAME", "NAME"), ("A:.metadata.name,B", "B")])
    func aColumnWithoutAPathIsRejected(spec: String, bad: String) {
        #expect { try CustomColumns(spec) } throws: {
            ($0 as? KctlError)?.message == "unexpected custom-columns spec: \(bad), expected <header>:<json-path-expr>"
        }
    }
}
