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

/// Selectors that apimachinery refuses (or reads in its own way), so hostile ones get a 400.
@Suite struct SelectorEdgeTests {
    @Test func labelSelectorsAsApimachineryReadsThem() throws {
        #expect(try LabelSelector.parse("a in ()").matches(["a": ""]))
        #expect(try !LabelSelector.parse("a in ()").matches(["a": "x"]))
        for bad in ["a in (b c)", "a in (b,c d)", "a<", "a>", "a>,b"] {
            #expect(throws: SelectorError.self, "\(bad)") { try LabelSelector.parse(bad) }
        }
    }

    static func failure(_ text: String) -> String? {
        do {
            _ = try FieldSelector.parse(text)
            return nil
        } catch {
            return error.message
        }
    }

    @Test func fieldSelectorValuesAreUnescaped() throws {
        #expect(try FieldSelector.parse(#"metadata.name=a\,b\=c\\d"#).matches(["metadata.name": #"a,b=c\d"#]))
        #expect(Self.failure("metadata.name==a==b") == "invalid field selector: unescaped character in value: =")
        #expect(Self.failure("a=b!=c") == "invalid field selector: unescaped character in value: =")
        #expect(Self.failure(#"a=b\x"#) == #"invalid field selector: invalid escape sequence: \x"#)
        #expect(Self.failure(#"a=b\"#) == #"invalid field selector: invalid escape sequence: \"#)
        #expect(Self.failure("metadata.name") == "invalid selector: 'metadata.name'; can't understand 'metadata.name'")
        // The first operator splits the term: "a=!b" is the value "!b".
        #expect(try FieldSelector.parse("a=!b").requirements == [.init(field: "a", value: "!b", negated: false)])
    }
}
