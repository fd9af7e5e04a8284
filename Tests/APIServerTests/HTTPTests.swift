import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import KplaneTestSupport
import Testing

/// Drives a real `kplane apiserver` process over HTTP.
@Suite(.serialized) struct HTTPTests {
    let server: ServerProcess
    init() throws { server = try ServerProcess() }

    let cm = #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cfg"},"data":{"a":"1"}}"#

    @Test func discoveryVersionAndHealth() async throws {
        let v = try await server.request("GET", "/version")
        #expect(v.json["minor"] as? String == "32")
        #expect(try await server.request("GET", "/healthz").text == "ok")
        #expect(try await server.request("GET", "/readyz").status == 200)
        let apps = try await server.request("GET", "/apis/apps/v1").json
        let names = (apps["resources"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        #expect(names.contains("deployments/scale") && names.contains("replicasets/status"))
        let agg = try await server.request("GET", "/apis", accept: "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json")
        #expect(agg.headers["content-type"] == "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList")
        let legacy = try await server.request("GET", "/apis")
        #expect(legacy.json["kind"] as? String == "APIGroupList")
        #expect(try await server.request("GET", "/openapi/v2").status == 200)
        let root = try await server.request("GET", "/openapi/v3").json["paths"] as? [String: Any]
        #expect(root?["apis/apps/v1"] != nil)
        // /api advertises the address the server listens on: the bound port, not --port 0.
        let core = try await server.request("GET", "/api").json
        let addresses = core["serverAddressByClientCIDRs"] as? [[String: Any]]
        #expect(addresses?.first?["serverAddress"] as? String == "127.0.0.1:\(server.port)")
    }

    @Test func crudAndErrorsAreKubernetesStatus() async throws {
        let created = try await server.request("POST", "/api/v1/namespaces/default/configmaps", body: cm)
        #expect(created.status == 201)
        let dup = try await server.request("POST", "/api/v1/namespaces/default/configmaps", body: cm)
        #expect(dup.status == 409)
        #expect(dup.json["kind"] as? String == "Status" && dup.json["reason"] as? String == "AlreadyExists")
        let missing = try await server.request("GET", "/api/v1/namespaces/default/configmaps/nope")
        #expect(missing.status == 404 && missing.json["message"] as? String == "configmaps \"nope\" not found")
        #expect(try await server.request("POST", "/api/v1/namespaces/default/configmaps", body: "{not json").status == 400)
        #expect(try await server.request("POST", "/api/v1/namespaces/default/configmaps", body: "a: [", contentType: "application/yaml").status == 400)
        #expect(try await server.request("POST", "/api/v1/namespaces/default/configmaps", body: cm, contentType: "text/csv").status == 415)
        #expect(try await server.request("PATCH", "/api/v1/namespaces/default/configmaps/cfg", body: "{}", contentType: "application/x-unknown-patch").status == 415)
        #expect(try await server.request("GET", "/apis/nope.io/v1/things").status == 404)
        #expect(try await server.request("PUT", "/api/v1/namespaces/default/configmaps", body: cm).status == 405)
        let huge = "{\"metadata\":{\"name\":\"big\"},\"data\":{\"a\":\"" + String(repeating: "x", count: 3 * 1024 * 1024) + "\"}}"
        #expect(try await server.request("POST", "/api/v1/namespaces/default/configmaps", body: huge).status == 413)
        let yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: yml\ndata:\n  on: yes\n  mode: \"0777\"\n  time: 12:30\n  day: 2024-01-01\n"
        let y = try await server.request("POST", "/api/v1/namespaces/default/configmaps", body: yaml, contentType: "application/yaml")
        #expect(y.status == 201)
        let data = y.json["data"] as? [String: String]
        #expect(data == ["on": "yes", "mode": "0777", "time": "12:30", "day": "2024-01-01"])
        let strict = try await server.request("POST", "/api/v1/namespaces/default/configmaps?fieldValidation=Strict",
                                              body: #"{"metadata":{"name":"s"},"dta":{}}"#)
        #expect(strict.status == 400)
        #expect((strict.json["message"] as? String)?.contains("unknown field \"dta\"") == true)
        let warn = try await server.request("POST", "/api/v1/namespaces/default/configmaps", body: #"{"metadata":{"name":"w"},"dta":{}}"#)
        #expect(warn.headers["warning"]?.contains("unknown field") == true)
        // Nothing bad reached the store.
        let list = try await server.request("GET", "/api/v1/namespaces/default/configmaps").json["items"] as? [[String: Any]]
        #expect(Set(list?.compactMap { ($0["metadata"] as? [String: Any])?["name"] as? String } ?? []) == ["cfg", "yml", "w"])
    }

    @Test func tablesAndPatches() async throws {
        _ = try await server.request("POST", "/api/v1/namespaces/default/configmaps", body: cm)
        let t = try await server.request("GET", "/api/v1/namespaces/default/configmaps", accept: "application/json;as=Table;v=v1;g=meta.k8s.io,application/json")
        #expect(t.headers["content-type"] == "application/json;as=Table;v=v1;g=meta.k8s.io")
        let cols = (t.json["columnDefinitions"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
        #expect(cols == ["Name", "Data", "Age"])
        let row = (t.json["rows"] as? [[String: Any]])?.first
        #expect(((row?["object"] as? [String: Any])?["kind"] as? String) == "PartialObjectMetadata")
        let m = try await server.request("PATCH", "/api/v1/namespaces/default/configmaps/cfg", body: #"{"data":{"a":null,"b":"2"}}"#, contentType: "application/merge-patch+json")
        #expect(m.json["data"] as? [String: String] == ["b": "2"])
        let j = try await server.request("PATCH", "/api/v1/namespaces/default/configmaps/cfg", body: #"[{"op":"replace","path":"/data/b","value":"3"}]"#, contentType: "application/json-patch+json")
        #expect(j.json["data"] as? [String: String] == ["b": "3"])
        let s = try await server.request("PATCH", "/api/v1/namespaces/default/configmaps/cfg", body: #"{"data":{"c":"4"}}"#, contentType: "application/strategic-merge-patch+json")
        #expect(s.json["data"] as? [String: String] == ["b": "3", "c": "4"])
        let bad = try await server.request("PATCH", "/api/v1/namespaces/default/configmaps/cfg", body: #"[{"op":"test","path":"/data/b","value":"9"}]"#, contentType: "application/json-patch+json")
        #expect(bad.status == 422)
    }

    @Test func watchStreamsOverChunkedHTTP() async throws {
        // Watch from the list's revision: events that happen before curl connects are replayed.
        let list = try await server.request("GET", "/api/v1/namespaces/default/configmaps").json
        let rv = (list["metadata"] as? [String: Any])?["resourceVersion"] as? String ?? ""
        let url = server.baseURL + "/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=6&resourceVersion=\(rv)"
        async let watched = Task.detached { try ServerProcess.run("/usr/bin/curl", ["-sN", "--max-time", "20", url]) }.value
        _ = try await server.request("POST", "/api/v1/namespaces/default/configmaps", body: cm)
        _ = try await server.request("DELETE", "/api/v1/namespaces/default/configmaps/cfg")
        let lines = try await watched.out.split(separator: "\n")
        #expect(lines.count == 2)
        // kube-apiserver writes metav1.WatchEvent's fields in declaration order: type, then object.
        #expect(lines.first?.hasPrefix(#"{"type":"ADDED","object":{"#) == true)
        #expect(lines.last?.contains(#""type":"DELETED""#) == true)
    }

    @Test func acknowledgedWritesSurviveKill9() async throws {
        for i in 0..<20 {
            let body = #"{"metadata":{"name":"k\#(i)"},"data":{"i":"\#(i)"}}"#
            #expect(try await server.request("POST", "/api/v1/namespaces/default/configmaps", body: body).status == 201)
        }
        let before = try await server.request("GET", "/api/v1/namespaces/default/configmaps").json
        let rv = Int((before["metadata"] as? [String: Any])?["resourceVersion"] as? String ?? "") ?? 0
        server.stop(kill9: true)
        try server.start()
        let after = try await server.request("GET", "/api/v1/namespaces/default/configmaps").json
        #expect((after["items"] as? [Any])?.count == 20)
        let created = try await server.request("POST", "/api/v1/namespaces/default/configmaps", body: cm).json
        let newRV = Int((created["metadata"] as? [String: Any])?["resourceVersion"] as? String ?? "") ?? 0
        #expect(newRV > rv)
    }

    @Test func protobufBodiesFromKubectlDecode() async throws {
        // kubectl 1.32 `create configmap cm1 --from-literal=k1=v1` (KUBECTL-WIRE §9.14).
        let hex = "6b3873000a0f0a0276311209436f6e6669674d6170121f0a130a03636d3112001a0022002a0032003800420012080a026b31120276311a002200"
        var bytes = Data()
        var i = hex.startIndex
        while i < hex.endIndex {
            let j = hex.index(i, offsetBy: 2)
            bytes.append(UInt8(hex[i..<j], radix: 16) ?? 0)
            i = j
        }
        var r = URLRequest(url: URL(string: server.baseURL + "/api/v1/namespaces/default/configmaps")!)
        r.httpMethod = "POST"
        r.httpBody = bytes
        r.setValue("application/vnd.kubernetes.protobuf", forHTTPHeaderField: "Content-Type")
        let (data, response) = try await URLSession.shared.data(for: r)
        #expect((response as? HTTPURLResponse)?.statusCode == 201)
        let json = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        #expect(json?["data"] as? [String: String] == ["k1": "v1"])
    }

    @Test(.offPool) func refusesNonLoopbackWithoutToken() throws {
        let r = try ServerProcess.run(ServerProcess.binary, ["apiserver", "--address", "0.0.0.0", "--port", "0", "--data-dir", temporaryDirectory()])
        #expect(r.code != 0)
        #expect(r.err.contains("--token-file"))
    }
}

@Suite struct AuthTests {
    @Test func bearerTokenIsRequiredWhenConfigured() async throws {
        let dir = temporaryDirectory()
        try "s3cret\n".write(toFile: dir + "/token", atomically: true, encoding: .utf8)
        let server = try ServerProcess(dataDir: dir, extraArgs: ["--token-file", dir + "/token"])
        let denied = try await server.request("GET", "/api/v1/namespaces")
        #expect(denied.status == 401 && denied.json["reason"] as? String == "Unauthorized")
        let allowed = try await server.request("GET", "/api/v1/namespaces", headers: ["Authorization": "Bearer s3cret"])
        #expect(allowed.status == 200)
        #expect(try await server.request("GET", "/healthz").status == 200)
        let config = try String(contentsOfFile: server.kubeconfig, encoding: .utf8)
        #expect(config.contains("token: s3cret"))
    }

    @Test func namespaceStatusSubresource() async throws {
        let server = try ServerProcess()
        let ns = try await server.request("GET", "/api/v1/namespaces/default/status")
        #expect(ns.status == 200 && (ns.json["status"] as? [String: Any])?["phase"] as? String == "Active")
    }
}
