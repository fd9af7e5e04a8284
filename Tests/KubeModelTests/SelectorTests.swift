import Testing
@testable import KubeModel

@Suite struct SelectorTests {
    let labels = ["app": "web", "tier": "frontend", "version": "3"]

    static let cases: [(String, Bool)] = [
        ("app=web", true), ("app==web", true), ("app!=web", false), ("app in (web,api)", true),
        ("app notin (web)", false), ("tier", true), ("!tier", false), ("missing!=x", true),
        ("version>2", true), ("version<3", false), ("app=web,tier=backend", false), ("", true),
        ("app in (api, web) , !missing", true),
    ]

    @Test(arguments: cases)
    func matches(selector: String, expected: Bool) throws {
        #expect(try LabelSelector.parse(selector).matches(labels) == expected)
    }

    @Test(arguments: ["app=", "app in web", "=web", "app in (web", "app==a b", "Bad Key=x", "a=b=c"])
    func badSelectorsThrow(selector: String) {
        if selector == "app=" {
            #expect((try? LabelSelector.parse(selector))?.matches(["app": ""]) == true)
        } else {
            #expect(throws: SelectorError.self) { try LabelSelector.parse(selector) }
        }
    }

    @Test func structuredSelector() throws {
        let json: JSONValue = ["matchLabels": ["app": "web"], "matchExpressions": [["key": "tier", "operator": "In", "values": ["frontend"]]]]
        let s = try LabelSelector.from(json)
        #expect(s.matches(labels))
        #expect(s.string == "app=web,tier in (frontend)")
        #expect(throws: SelectorError.self) { try LabelSelector.from(["matchExpressions": [["key": "a", "operator": "Near"]]]) }
    }

    @Test func fieldSelectors() throws {
        let f = try FieldSelector.parse("metadata.name=x,status.phase!=Running")
        #expect(f.matches(["metadata.name": "x", "status.phase": "Pending"]))
        #expect(!f.matches(["metadata.name": "x", "status.phase": "Running"]))
        #expect(throws: SelectorError.self) { try FieldSelector.parse("metadata.name") }
    }
}
