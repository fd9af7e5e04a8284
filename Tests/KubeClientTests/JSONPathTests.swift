import Testing
@testable import KubeModel

// JSONPath lives in the kctl executable; its parsing rules are exercised end to end in
// KctlParityTests. Here: the helpers KubeModel gives it.
@Suite struct PrettyJSONTests {
    @Test func indentsLikeGoMarshalIndent() throws {
        let v = try JSONParser.parse(#"{"b":[1,{"c":[]}],"a":{}}"#)
        #expect(JSONSerializer.pretty(v) == "{\n    \"a\": {},\n    \"b\": [\n        1,\n        {\n            \"c\": []\n        }\n    ]\n}")
    }
}
