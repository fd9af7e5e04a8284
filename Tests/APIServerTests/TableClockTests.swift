import APIServer
import Foundation
import KubeClient
import KubeModel
import Testing

/// Tables read the API server's injected clock, as creation timestamps do.
@Suite struct TableClockTests {
    @Test func ageCountsFromTheServersClock() async throws {
        let clock = MutableNow()
        let api = APIService(store: try Store(path: nil), now: { clock.now })
        try await api.bootstrap()
        let client = LocalAPIClient(api: api)
        _ = try await client.create(.namespaces, namespace: nil, ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "n"]])
        clock.now = clock.now.addingTimeInterval(90)
        let accept = "application/json;as=Table;v=v1;g=meta.k8s.io"
        for (path, query) in [("/api/v1/namespaces/n", []), ("/api/v1/namespaces", [("fieldSelector", "metadata.name=n")])] {
            let r = try await client.send(method: "GET", path: path, query: query, body: nil, contentType: nil, accept: accept)
            let table = try #require(r.json)
            let columns = table["columnDefinitions"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
            let age = try #require(columns.firstIndex(of: "Age"))
            #expect(table["rows"]?.arrayValue?.first?["cells"]?.arrayValue?[age] == "90s", "\(path)")
        }
    }
}
