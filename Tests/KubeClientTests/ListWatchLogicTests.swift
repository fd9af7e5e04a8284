import Synchronization
import Testing
@testable import KubeClient
@testable import KubeModel

/// A scripted API: each list answers the next revision; the first watch fails with 410 Expired,
/// the second delivers one event.
final class ScriptedAPI: APIClient {
    let calls = Mutex<[String]>([])

    func send(method: String, path: String, query: [(String, String)], body: [UInt8]?, contentType: String?, accept: String?) async throws -> APIResponse {
        let n = calls.withLock { c -> Int in
            c.append("list")
            return c.filter { $0 == "list" }.count
        }
        let list: JSONValue = ["metadata": ["resourceVersion": .string(String(n * 10))], "items": [["metadata": ["name": .string("item\(n)")]]]]
        return APIResponse(status: 200, contentType: "application/json", body: JSONSerializer.serialize(list))
    }

    func watch(path: String, query: [(String, String)], accept: String?) -> AsyncThrowingStream<WatchEventLine, any Error> {
        let from = query.first { $0.0 == "resourceVersion" }?.1 ?? ""
        let watches = calls.withLock { c -> Int in
            c.append("watch@\(from)")
            return c.filter { $0.hasPrefix("watch") }.count
        }
        return AsyncThrowingStream { continuation in
            if watches == 1 {
                continuation.yield(WatchEventLine(type: "ERROR", object: ["kind": "Status", "code": 410, "reason": "Expired"]))
            } else {
                continuation.yield(WatchEventLine(type: "ADDED", object: ["metadata": ["name": "new", "resourceVersion": "21"]]))
            }
            continuation.finish()
        }
    }
}

@Suite struct ListWatchLogicTests {
    @Test func expiredWatchLeadsToAFreshList() async throws {
        let api = ScriptedAPI()
        var seen: [String] = []
        for try await e in ListWatch(client: api, path: "/api/v1/configmaps") {
            switch e {
            case .listed(let items, let rv): seen.append("listed \(items.count) @\(rv)")
            case .added(let o): seen.append("added \(o[path: ["metadata", "name"]]?.stringValue ?? "")")
            default: seen.append("other")
            }
            if seen.count == 3 { break }
        }
        #expect(seen == ["listed 1 @10", "listed 1 @20", "added new"])
        #expect(api.calls.withLock { Array($0.prefix(4)) } == ["list", "watch@10", "list", "watch@20"])
    }
}
