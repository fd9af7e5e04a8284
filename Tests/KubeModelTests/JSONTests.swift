import Foundation
import Testing
@testable import KubeModel

@Suite struct JSONTests {
    @Test func roundTripKeepsIntegersExactAndSortsKeys() throws {
        let v = try JSONParser.parse(#"{"b":9007199254740993,"a":[1.5,true,null,"x/y"],"c":{"z":1,"y":"\u00e9"}}"#)
        #expect(v["b"] == .int(9_007_199_254_740_993))
        #expect(JSONSerializer.string(v) == #"{"a":[1.5,true,null,"x/y"],"b":9007199254740993,"c":{"y":"é","z":1}}"#)
    }

    @Test func escapesLikeGo() {
        let s = JSONSerializer.string(.string("a\"b\\c\n<tag>&"))
        #expect(s == #""a\"b\\c\n\u003ctag\u003e\u0026""#)
        // encoding/json escapes the JavaScript line terminators and leaves other non-ASCII as is.
        #expect(JSONSerializer.string(.string("x\u{2028}y\u{2029}z\u{2027}é\u{1}")) == "\"x\\u2028y\\u2029z\u{2027}é\\u0001\"")
    }

    @Test func integersAndKeysAsGoWritesThem() {
        let ints: [Int64] = [0, 7, -7, 10, 1_234_567_890, Int64.max, Int64.min]
        #expect(JSONSerializer.string(.array(ints.map { .int($0) })) == "[0,7,-7,10,1234567890,9223372036854775807,-9223372036854775808]")
        // Go sorts map keys byte by byte: uppercase before lowercase, a prefix first, "é" after "z".
        let o: JSONValue = .object(["b": 1, "B": 2, "ba": 3, "é": 4, "z": 5, "": 6])
        #expect(JSONSerializer.string(o) == #"{"":6,"B":2,"b":1,"ba":3,"z":5,"é":4}"#)
    }

    @Test func settingAPathCreatesAndReplaces() {
        var v: JSONValue = ["metadata": ["name": "a"], "spec": "not an object"]
        v.set(["metadata", "labels", "app"], "web")
        v.set(["spec", "replicas"], 2)
        v.set(["metadata", "name"], nil)
        #expect(JSONSerializer.string(v) == #"{"metadata":{"labels":{"app":"web"}},"spec":{"replicas":2}}"#)
    }

    @Test(arguments: [
        ("{", "unexpected end of JSON input"),
        ("{\"a\" 1}", "invalid character '1' after object key"),
        ("x", "invalid character 'x' looking for beginning of value"),
        ("[1,]", "invalid character ']' looking for beginning of value"),
        ("{} {}", "invalid character '{' after top-level value"),
        ("\"abc", "unexpected end of JSON input"),
    ])
    func malformedInputGivesGoWording(input: String, message: String) {
        #expect(throws: JSONParseError.self) { try JSONParser.parse(input) }
        do { _ = try JSONParser.parse(input) } catch { #expect(error.message == message) }
    }

    @Test func deepNestingIsRejectedNotCrashing() {
        let deep = String(repeating: "[", count: 20_000) + String(repeating: "]", count: 20_000)
        #expect(throws: JSONParseError.self) { try JSONParser.parse(deep) }
    }

    @Test func surrogatePairsDecode() throws {
        #expect(try JSONParser.parse(#""\ud83d\ude00""#) == .string("😀"))
    }

    @Test func droppingNullsIsRecursive() throws {
        let v = try JSONParser.parse(#"{"a":null,"b":{"c":null,"d":1},"e":[{"f":null}]}"#)
        #expect(JSONSerializer.string(v.droppingNulls()) == #"{"b":{"d":1},"e":[{}]}"#)
    }

    @Test func timestampsRoundTrip() throws {
        let d = try #require(Timestamp.parse("2024-02-29T23:59:58Z"))
        #expect(Timestamp.format(d) == "2024-02-29T23:59:58Z")
        // Beyond RFC 3339's years (now plus a grace period of Int64.max seconds): the nearest end.
        #expect(Timestamp.format(d.addingTimeInterval(9.2e18)) == "9999-12-31T23:59:59Z")
        #expect(Timestamp.format(Date(timeIntervalSince1970: -1e300)) == "0000-01-01T00:00:00Z")
        #expect(Timestamp.formatMicro(.distantFuture.addingTimeInterval(.infinity)).hasPrefix("9999-12-31T23:59:59."))
        #expect(Timestamp.parse("2024-02-29T23:59:58.5+01:00").map { Timestamp.format($0) } == "2024-02-29T22:59:58Z")
    }

    static let ages: [(Double, String)] = [
        (45, "45s"), (119, "119s"), (303, "5m3s"), (600, "10m"), (11_520, "3h12m"), (1_209_600, "14d"), (266_400, "3d2h"), (-5, "<invalid>"),
    ]

    @Test(arguments: ages)
    func agesFormatAsKubectl(seconds: Double, text: String) {
        #expect(HumanDuration.format(seconds: seconds) == text)
    }
}

@Suite struct QuantityTests {
    static let cases: [(String, Double)] = [
        ("200m", 0.2), ("256Mi", 268_435_456), ("1.5", 1.5), ("2e3", 2000), ("1k", 1000), ("1Gi", 1_073_741_824), ("-1", -1),
    ]

    @Test(arguments: cases)
    func parses(text: String, value: Double) throws {
        #expect(try #require(Quantity(text)).value == value)
    }

    @Test(arguments: ["256Mb", "", "abc", "1.2.3", "Mi", "5 Mi"])
    func rejects(text: String) {
        #expect(Quantity(text) == nil)
    }

    @Test func cpuMilli() throws {
        #expect(try #require(Quantity("0.25")).milliValue == 250)
    }
}

@Suite struct FastRandomTests {
    @Test func uuidsLookLikeKubernetesUIDs() {
        let ids = (0..<1000).map { _ in FastRandom.uuid() }
        #expect(Set(ids).count == 1000)
        for id in ids.prefix(10) {
            let parts = id.split(separator: "-").map(\.count)
            #expect(parts == [8, 4, 4, 4, 12])
            #expect(id.split(separator: "-")[2].first == "4")
            #expect(id == id.lowercased())
        }
    }
}
