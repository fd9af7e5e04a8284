import Foundation
import Testing
@testable import KubeModel
@testable import KubeYAML

/// YAML aliases as go-yaml (kube-apiserver's decoder) allows them: shared values that expand to no
/// more than `allowedAliasRatio` of the nodes decoded, so "billion laughs" fails at once.
@Suite struct YAMLLimitTests {
    /// `levels` anchors, each a list of `fanout` aliases of the one before.
    static func laughs(levels: Int, fanout: Int) -> String {
        var text = "a0: &a0 [" + Array(repeating: "lol", count: fanout).joined(separator: ", ") + "]\n"
        for level in 1...levels {
            text += "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: fanout).joined(separator: ", ") + "]\n"
        }
        return text
    }

    static func failure(_ text: String) -> String? {
        do {
            _ = try YAMLDecoding.documents(text)
            return nil
        } catch {
            return (error as? YAMLDecoding.Failure)?.message ?? "\(error)"
        }
    }

    @Test func aliasesShareTheirAnchorsValue() throws {
        let docs = try YAMLDecoding.documents("base: &b {image: nginx, ports: [80]}\nweb: *b\nname: &n app\nlabels: {x: *n}\n*n : key\n")
        #expect(docs.first?["web"] == ["image": "nginx", "ports": [80]])
        #expect(docs.first?["base"] == docs.first?["web"])
        #expect(docs.first?["labels"] == ["x": "app"])
        #expect(docs.first?["app"] == "key")
    }

    @Test func billionLaughsFailsFast() throws {
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            #expect(Self.failure(Self.laughs(levels: 9, fanout: 9)) == "error converting YAML to JSON: yaml: document contains excessive aliasing")
        }
        #expect(elapsed < .seconds(1))
        // Used as a mapping key, an alias to a collection fails before anything hashes it.
        #expect(Self.failure(Self.laughs(levels: 9, fanout: 9).replacingOccurrences(of: "a9: &a9 ", with: "? ")
            + ": 1\n")?.contains("aliasing") == true)
        #expect(Self.failure(Self.laughs(levels: 2, fanout: 9) + "? *a2\n: 1\n") == "error converting YAML to JSON: non-scalar map key")
    }

    @Test func aliasRatioFollowsGoYAML() {
        // As go-yaml counts: 2 levels of 10 decode 1,358 nodes, 1,320 of them through aliases
        // (97.2%); a 3rd level makes it 13,530 of 13,580 (99.6%), past the 99% allowed.
        #expect(Self.failure(Self.laughs(levels: 2, fanout: 10)) == nil)
        #expect(Self.failure(Self.laughs(levels: 3, fanout: 10)) == "error converting YAML to JSON: yaml: document contains excessive aliasing")
        #expect(YAMLComposer.allowedAliasRatio(400_000) == 0.99)
        #expect(YAMLComposer.allowedAliasRatio(4_000_000) == 0.10)
        #expect(abs(YAMLComposer.allowedAliasRatio(2_200_000) - 0.545) < 1e-9)
    }

    @Test func brokenAnchorsAreErrors() {
        #expect(Self.failure("a: *nope\n") == "error converting YAML to JSON: yaml: unknown anchor 'nope' referenced")
        #expect(Self.failure("a: &x [1, *x]\n") == "error converting YAML to JSON: yaml: anchor 'x' value contains itself")
    }

    @Test func malformedInputIsAnError() {
        #expect(Self.failure("a: 1\na: 2\n")?.contains("key \"a\" already set in map") == true)
        #expect(Self.failure("? [a, b]\n: 1\n") == "error converting YAML to JSON: non-scalar map key")
        #expect(Self.failure("a: \u{1}\n")?.contains("control characters are not allowed") == true)
        #expect(Self.failure("a: [1, 2\n")?.hasPrefix("error converting YAML to JSON: yaml: line ") == true)
        #expect {
            try YAMLDecoding.documents(bytes: Array("a: ".utf8) + [0xff, 0xfe])
        } throws: { error in
            (error as? YAMLDecoding.Failure)?.message == "error converting YAML to JSON: yaml: invalid leading UTF-8 octet"
        }
        #expect((try? YAMLDecoding.documents(bytes: [])) == [])
    }

    @Test func scalarsKeepTheirTags() throws {
        let doc = try YAMLDecoding.documents("a: !!str 123\nb: !!int \"7\"\nc: '5'\nd: 5\ne: ! 5\n").first
        #expect(doc == ["a": "123", "b": 7, "c": "5", "d": 5, "e": "5"])
        // go-yaml refuses a core tag its text does not satisfy; unknown tags are ignored.
        #expect(Self.failure("a: !!int x\n") == "error converting YAML to JSON: yaml: cannot decode !!str `x` as a !!int")
        #expect(Self.failure("a: !!bool 1\n") == "error converting YAML to JSON: yaml: cannot decode !!int `1` as a !!bool")
        #expect(try YAMLDecoding.documents("a: !!float 1\nb: !foo x\n").first == ["a": 1, "b": "x"])
    }
}
