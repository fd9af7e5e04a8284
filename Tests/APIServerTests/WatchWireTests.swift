import Foundation
import KplaneTestSupport
import Testing

/// A watch on the wire as kube-apiserver writes it: metav1.WatchEvent lines, an ERROR Status in
/// Go's field order, and ValidateListOptions' watch rules.
@Suite struct WatchWireTests {
    @Test func eventsAndErrorsAreWatchEventLines() async throws {
        let server = try ServerProcess(extraArgs: ["--default-watch-cache-size", "10"])
        defer { server.stop() }
        for i in 0..<15 {
            _ = try await server.request("POST", "/api/v1/namespaces/default/configmaps",
                                         body: #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c\#(i)"}}"#)
        }
        let c = try RawConnection(port: server.port)
        c.send("GET /api/v1/namespaces/default/configmaps?watch=true&resourceVersion=1 HTTP/1.1\r\nHost: x\r\n\r\n")
        let text = String(decoding: c.receive(atMost: 4096, timeout: 5), as: UTF8.self)
        let rv = try await server.request("GET", "/api/v1/namespaces/default/configmaps").json["metadata"]
        let current = (rv as? [String: Any])?["resourceVersion"] as? String ?? "?"
        #expect(text.contains(#"{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: 1 (\#(current))","reason":"Expired","code":410}}"# + "\n"))

        let live = try RawConnection(port: server.port)
        live.send("GET /api/v1/namespaces/default/configmaps?watch=true&resourceVersion=\(current) HTTP/1.1\r\nHost: x\r\n\r\n")
        _ = live.receive(atMost: 200, timeout: 0.5)
        _ = try await server.request("POST", "/api/v1/namespaces/default/configmaps",
                                     body: #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"new"}}"#)
        let event = String(decoding: live.receive(atMost: 4096, timeout: 5), as: UTF8.self)
        #expect(event.contains(#"{"type":"ADDED","object":{"apiVersion":"v1","kind":"ConfigMap","metadata":{"#))
    }

    @Test func resourceVersionMatchOnAWatchFollowsValidateListOptions() async throws {
        let server = try ServerProcess()
        defer { server.stop() }
        let noInitial = try await server.request("GET", "/api/v1/configmaps?watch=true&resourceVersion=1&resourceVersionMatch=NotOlderThan")
        #expect(noInitial.status == 422)
        #expect(noInitial.json["message"] as? String
            == "ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided")
        let exact = try await server.request("GET", "/api/v1/configmaps?watch=true&sendInitialEvents=true&resourceVersionMatch=Exact&resourceVersion=1")
        #expect(exact.status == 422)
        #expect((exact.json["message"] as? String)?.contains("sendInitialEvents requires setting resourceVersionMatch to NotOlderThan") == true)
        #expect((exact.json["message"] as? String)?.contains(#"resourceVersionMatch: Unsupported value: "Exact": supported values: "NotOlderThan""#) == true)
    }
}
