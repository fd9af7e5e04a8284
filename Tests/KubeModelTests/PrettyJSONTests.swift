import Testing
@testable import KubeModel

@Suite struct PrettyJSONTests {
    @Test func indentsLikeGoMarshalIndent() throws {
        let v = try JSONParser.parse(#"{"b":[1,{"c":[]}],"a":{}}"#)
        #expect(JSONSerializer.pretty(v) == "{\n    \"a\": {},\n    \"b\": [\n        1,\n        {\n            \"c\": []\n        }\n    ]\n}")
    }
}
