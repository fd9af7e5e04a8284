import Foundation
import Testing
@testable import KubeModel
@testable import KubeYAML

/// Every parser refuses values nested deeper than `JSONParser.maxDepth`, and a value at that depth
/// goes through every recursive walk the server makes on a 512 KB stack, a Swift task's on macOS.
@Suite struct DepthLimitTests {
    static let limit = JSONParser.maxDepth

    static func arrays(_ depth: Int) -> String { String(repeating: "[", count: depth) + String(repeating: "]", count: depth) }
    static func objects(_ depth: Int) -> String { String(repeating: #"{"a":"#, count: depth) + "1" + String(repeating: "}", count: depth) }

    @Test func jsonRefusesDeeperValues() throws {
        #expect(try JSONParser.parse(Self.arrays(Self.limit)).depth == Self.limit)
        #expect(try JSONParser.parse(Self.objects(Self.limit)).depth == Self.limit)
        #expect(throws: JSONParseError.self) { try JSONParser.parse(Self.arrays(Self.limit + 1)) }
        #expect(throws: JSONParseError.self) { try JSONParser.parse(Self.objects(Self.limit + 1)) }
        #expect(throws: JSONParseError.self) { try JSONParser.parse(String(repeating: "[", count: 3_000_000)) }
    }

    @Test func yamlRefusesDeeperValues() throws {
        #expect(try YAMLDecoding.documents(Self.arrays(Self.limit)).first?.depth == Self.limit)
        let block = (0..<Self.limit).map { String(repeating: " ", count: $0) + "a:" }.joined(separator: "\n") + " 1\n"
        #expect(try YAMLDecoding.documents(block).first?.depth == Self.limit)
        let deeper = (0...Self.limit).map { String(repeating: " ", count: $0) + "a:" }.joined(separator: "\n") + " 1\n"
        for text in [Self.arrays(Self.limit + 1), deeper, String(repeating: "[", count: 3_000_000), String(repeating: "- ", count: 100_000)] {
            #expect {
                try YAMLDecoding.documents(text)
            } throws: { error in
                (error as? YAMLDecoding.Failure)?.message.contains("max depth") == true
                    || (error as? YAMLDecoding.Failure)?.message.contains("Maximum nesting level") == true
            }
        }
    }

    @Test func theDeepestValueSurvivesEveryWalkOnASmallStack() async throws {
        let ok = await onSmallStack {
            // Inside a ConfigMap, the whole object is `limit` deep.
            for text in [Self.arrays(Self.limit - 1), Self.objects(Self.limit - 1)] {
                guard let deep = try? JSONParser.parse(text) else { return false }
                let configMap: JSONValue = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "d"], "extra": deep]
                let json = JSONSerializer.serialize(configMap)
                guard let again = try? JSONParser.parse(json), again == configMap, again.depth == Self.limit else { return false }
                _ = configMap.droppingNulls()
                _ = SchemaValidator.check(configMap, typeName: "ConfigMap")
                _ = Validation.validate(configMap, old: configMap, info: ResourceCatalog.find(apiVersion: "v1", kind: "ConfigMap")!)
                _ = MergePatch.apply(["extra": deep, "more": deep], to: configMap)
                _ = try? StrategicMergePatch().apply(["extra": deep], to: configMap, typeName: "ConfigMap")
                _ = try? JSONPatch.apply([["op": "test", "path": "/extra", "value": deep]], to: configMap)
                _ = ThreeWayMerge().patch(original: configMap, modified: ["extra": deep], current: configMap, typeName: "ConfigMap")
                // managedFields: creates, updates and server-side apply walk the whole object.
                let manager = FieldManager(typeName: "ConfigMap", apiVersion: "v1", resetFields: FieldSet(), now: "2026-01-01T00:00:00Z")
                let created = manager.created(configMap, manager: "m") ?? configMap
                _ = manager.update(live: created, new: MergePatch.apply(["more": deep], to: created), manager: "n")
                _ = try? manager.apply(live: created, config: configMap, kind: "ConfigMap", manager: "o", force: false)
                let yaml = YAMLEncoding.string(configMap)
                guard (try? YAMLDecoding.documents(yaml))?.first == configMap else { return false }
            }
            return true
        }
        #expect(ok)
    }

    @Test func jsonPatchesCannotBuildDeeperValues() throws {
        let doc: JSONValue = ["a": [:]]
        let adds: JSONValue = .array((1...Self.limit + 10).map { i in ["op": "add", "path": .string(String(repeating: "/a", count: i)), "value": [:]] })
        #expect(throws: PatchError("exceeded max depth")) { try JSONPatch.apply(adds, to: doc) }
        // Each copy of /a into /a/a/a makes the document two levels deeper.
        let deepening: JSONValue = .array([["op": "add", "path": "/a", "value": ["a": [:]]]]
            + Array(repeating: ["op": "copy", "from": "/a", "path": "/a/a/a"], count: 300))
        #expect(throws: PatchError("exceeded max depth")) { try JSONPatch.apply(deepening, to: doc) }
        let deepValue = try JSONParser.parse(Self.arrays(Self.limit - 1))
        #expect(throws: PatchError("exceeded max depth")) {
            try JSONPatch.apply([["op": "add", "path": "/a/b", "value": deepValue]], to: doc)
        }
    }

    @Test func jsonPatchCopiesAreLimited() throws {
        var ops: [JSONValue] = [["op": "add", "path": "/d", "value": ["s": .string(String(repeating: "x", count: 100_000))]]]
        for i in 0..<40 { ops.append(["op": "copy", "from": "/d/s", "path": .string("/c\(i)")]) }
        let limited = { (error: any Error) in
            (error as? PatchError)?.message.hasPrefix("Unable to complete the copy, the accumulated size increase of copy is ") == true
        }
        #expect(performing: { try JSONPatch.apply(.array(ops), to: .emptyObject) }, throws: limited)
        // Each round makes /x hold two of the old /x: 2^40 strings, were it not for the limit.
        let round: [JSONValue] = [
            ["op": "copy", "from": "/x", "path": "/c"], ["op": "add", "path": "/t", "value": [:]],
            ["op": "move", "from": "/x", "path": "/t/l"], ["op": "move", "from": "/c", "path": "/t/r"],
            ["op": "move", "from": "/t", "path": "/x"],
        ]
        let doubling: JSONValue = .array([["op": "add", "path": "/x", "value": "0123456789"]] + Array(Array(repeating: round, count: 40).joined()))
        #expect(performing: { try JSONPatch.apply(doubling, to: .emptyObject) }, throws: limited)
        #expect(throws: Never.self) {
            try JSONPatch.apply(.array(Array(ops.prefix(20))), to: .emptyObject)
        }
    }

    /// Runs `body` on a thread with the stack of a Swift task on macOS.
    func onSmallStack(_ body: @escaping @Sendable () -> Bool) async -> Bool {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: body()) }
            thread.stackSize = 512 * 1024
            thread.start()
        }
    }
}

extension PatchError: Equatable {
    public static func == (a: PatchError, b: PatchError) -> Bool { a.message == b.message }
}
