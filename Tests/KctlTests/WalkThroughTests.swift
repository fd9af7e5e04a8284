import KubeModel
import Testing
@testable import kctl

/// The pure parts of diff, wait, edit, manifests and describe that a learner's walk-through
/// exercises (the end-to-end comparisons with kubectl live in KctlParityTests+Learner).
@Suite struct WalkThroughTests {
    @Test func waitConditionsParseAsKubectlParsesThem() throws {
        #expect(WaitCondition.splitJSONPath("{.status.conditions[?(@.type==\"Ready\")].status}=True")
            == ["{.status.conditions[?(@.type==\"Ready\")].status}", "True"])
        let ready = try WaitCondition("condition=Available")
        let d: JSONValue = ["metadata": ["generation": 2], "status": ["observedGeneration": 2, "conditions": [["type": "Available", "status": "True"]]]]
        #expect(try ready.met(d))
        var stale = d
        stale.set(["status", "observedGeneration"], 1)
        #expect(try !ready.met(stale), "a condition older than the spec does not count")
        #expect(try WaitCondition("condition=available=true").met(d))
        #expect(try WaitCondition("delete").met(nil) && !WaitCondition("delete").met(d))
        #expect(try WaitCondition("jsonpath={.metadata.generation}=2").met(d))
        #expect(throws: KctlError.self) { try WaitCondition("jsonpath={.status}=x").met(d) }
        #expect(throws: KctlError.self) { try WaitCondition("jsonpath={.a}=") }
        #expect(throws: KctlError.self) { try WaitCondition("ready") }
    }

    @Test func secretValuesAreMaskedButChangesShow() {
        let before: JSONValue = ["kind": "Secret", "data": ["a": "MQ==", "b": "Mg==", "gone": "Mw=="]]
        let after: JSONValue = ["kind": "Secret", "data": ["a": "MQ==", "b": "NA==", "new": "NQ=="]]
        let (from, to) = Diff.masked(before, after)
        #expect(from?["data"] == ["a": "***", "b": "*** (before)", "gone": "***"])
        #expect(to["data"] == ["a": "***", "b": "*** (after)", "new": "***"])
        #expect(Diff.masked(nil, after).0 == nil)
    }

    @Test func manifestsSplitOnSeparatorLinesOnly() throws {
        #expect(try Manifests.documents("a: 1\n---\nb: 2\n--- # two\nc: 3") == ["a: 1\n", "b: 2\n", "c: 3"])
        #expect(try Manifests.documents("---\n---\na: |\n  ---x\n") == ["a: |\n  ---x\n"])
        #expect(throws: KctlError.self) { try Manifests.documents("a: 1\n--- {b: 2}\n") }
        // A syntax error counts lines from the start of its own document.
        let (objects, failure) = Manifests.parse("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\nkind: [\n", source: "f.yaml")
        #expect(objects.count == 1)
        #expect(failure?.message == "error parsing f.yaml: error converting YAML to JSON: yaml: line 1: did not find expected node content")
    }

    @Test func editChecksTheFileBeforeSendingIt() {
        func problem(_ text: String) -> String? {
            if case .failure(let e) = Edit.validated(text) { return e.message }
            return nil
        }
        #expect(problem("# only comments\n") == "invalid object to validate")
        #expect(problem("metadata: {}\n") == "[apiVersion not set, kind not set]")
        #expect(problem("apiVersion: v1\nkind: ConfigMap\n") == nil)
        #expect(problem("# header\napiVersion: v1\nkind: [\n") == "yaml: line 2: did not find expected node content")
        #expect(Edit.content("# a\napiVersion: v1\n") == Edit.content("apiVersion:   v1\n"))
        #expect(Edit.Reason(head: "x was not valid", details: ["a: b\nc"]).text == "# x was not valid:\n# * a: b\n# c\n#\n")
    }

    @Test func resourceFieldRefsShowTheContainersOwnValue() {
        let c: JSONValue = ["resources": ["limits": ["cpu": "1500m", "memory": "300Mi"], "requests": ["cpu": "250m"]]]
        func value(_ resource: String, _ divisor: String? = nil) -> String {
            var e: JSONValue = ["name": "X", "valueFrom": ["resourceFieldRef": ["resource": .string(resource)]]]
            if let divisor { e.set(["valueFrom", "resourceFieldRef", "divisor"], .string(divisor)) }
            return DescribeWriter.envValue(e, container: c)
        }
        #expect(value("limits.cpu") == "2 (limits.cpu)")
        #expect(value("limits.memory", "1Mi") == "300 (limits.memory)")
        #expect(value("requests.cpu", "1m") == "250 (requests.cpu)")
        #expect(DescribeWriter.envValue(["valueFrom": ["resourceFieldRef": ["resource": "limits.memory"]]], container: .emptyObject) == "node allocatable (limits.memory)")
        #expect(DescribeWriter.envValue(["valueFrom": ["secretKeyRef": ["name": "s", "key": "k"]]], container: c) == "<set to the key 'k' in secret 's'>\tOptional: false")
    }
}
