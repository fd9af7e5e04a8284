import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import KplaneTestSupport
import Testing
@testable import APIServer
import KubeModel

/// What clients see on the wire from a real `kplane apiserver`: status bodies, query booleans,
/// authentication, unknown resources and the OpenAPI documents.
@Suite(.serialized) struct WireFidelityTests {
    @Test func statusBodiesAreKubeApiserversBytes() async throws {
        let server = try ServerProcess()
        let missing = try await server.request("GET", "/api/v1/namespaces/default/configmaps/nope")
        #expect(missing.status == 404)
        #expect(missing.text == "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":\"configmaps \\\"nope\\\" not found\",\"reason\":\"NotFound\",\"details\":{\"name\":\"nope\",\"kind\":\"configmaps\"},\"code\":404}\n")
        // Objects keep their encoding: no trailing newline, sorted keys.
        let cm = try await server.request("POST", "/api/v1/namespaces/default/configmaps", body: #"{"metadata":{"name":"a"}}"#)
        #expect(cm.status == 201 && cm.text.hasPrefix("{\"apiVersion\":\"v1\"") && !cm.text.hasSuffix("\n"))
    }

    @Test func watchTrueAsThePythonClientSpellsIt() async throws {
        let server = try ServerProcess()
        _ = try await server.request("POST", "/api/v1/namespaces/default/configmaps", body: #"{"metadata":{"name":"a"}}"#)
        for spelling in ["True", "1", "true"] {
            let r = try await server.request("GET", "/api/v1/namespaces/default/configmaps?watch=\(spelling)&timeoutSeconds=1")
            #expect(r.status == 200)
            let first = r.text.split(separator: "\n").first.map(String.init) ?? ""
            #expect(first.contains("\"type\":\"ADDED\"") && first.contains("\"name\":\"a\""), "watch=\(spelling): \(first)")
        }
        let list = try await server.request("GET", "/api/v1/namespaces/default/configmaps?watch=false")
        #expect(list.json["kind"] as? String == "ConfigMapList")
    }

    @Test func bearerSchemeInAnyCase() async throws {
        let tokenFile = temporaryDirectory() + "/token"
        try FileManager.default.createDirectory(atPath: (tokenFile as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try "s3cret\n".write(toFile: tokenFile, atomically: true, encoding: .utf8)
        let server = try ServerProcess(extraArgs: ["--token-file", tokenFile])
        for header in ["Bearer s3cret", "bearer s3cret", "BEARER s3cret"] {
            #expect(try await server.request("GET", "/api/v1/namespaces", headers: ["Authorization": header]).status == 200, "\(header)")
        }
        #expect(try await server.request("GET", "/api/v1/namespaces", headers: ["Authorization": "Bearer wrong"]).status == 401)
        #expect(try await server.request("GET", "/api/v1/namespaces").status == 401)
    }

    @Test func writesToUnservedResourcesAreNotFound() async throws {
        let server = try ServerProcess()
        for (method, path) in [("POST", "/apis/batch/v1/namespaces/default/jobs"), ("POST", "/api/v1/namespaces/default/widgets"),
                               ("PUT", "/apis/nope.io/v1/things/x"), ("DELETE", "/api/v1/nothing")] {
            let r = try await server.request(method, path, body: "{}")
            #expect(r.status == 404, "\(method) \(path)")
            #expect(r.json["reason"] as? String == "NotFound")
            #expect(r.json["message"] as? String == "the server could not find the requested resource")
        }
        // A served resource still answers 405 to a method it does not take.
        #expect(try await server.request("PUT", "/api/v1/namespaces/default/configmaps", body: "{}").status == 405)
    }

    @Test func openAPIV2IsServedAsProtobufAndJSON() async throws {
        let server = try ServerProcess()
        let pb = try await server.request("GET", "/openapi/v2", accept: "application/com.github.proto-openapi.spec.v2@v1.0+protobuf")
        #expect(pb.status == 200)
        #expect(pb.headers["content-type"] == "application/com.github.proto-openapi.spec.v2.v1.0+protobuf")
        // Document.swagger (field 1, "2.0") leads the message.
        #expect(Array(pb.body.prefix(5)) == [0x0a, 0x03, 0x32, 0x2e, 0x30])
        let json = try await server.request("GET", "/openapi/v2")
        #expect(json.json["swagger"] as? String == "2.0")
        let defs = json.json["definitions"] as? [String: Any]
        #expect(defs?["io.k8s.api.apps.v1.Deployment"] != nil)
    }

    @Test func everyPathParameterIsDeclared() throws {
        var checked = 0
        for (group, versions) in ResourceCatalog.groupVersions {
            for v in versions {
                let doc = try #require(OpenAPI.document(group.isEmpty ? "api/\(v)" : "apis/\(group)/\(v)", .builtin, .shared))
                for (path, item) in doc["paths"]?.objectValue ?? [:] {
                    let templated = Set(path.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) })
                    let itemParams = (item["parameters"]?.arrayValue ?? []).filter { $0["in"] == "path" }
                    for (verb, op) in item.objectValue ?? [:] where verb != "parameters" {
                        let declared = (itemParams + (op["parameters"]?.arrayValue ?? []).filter { $0["in"] == "path" })
                        #expect(Set(declared.compactMap { $0["name"]?.stringValue }) == templated, "\(verb) \(path)")
                        #expect(declared.allSatisfy { $0["required"] == true }, "\(verb) \(path)")
                        checked += 1
                    }
                }
            }
        }
        #expect(checked > 50)
    }

    @Test func openAPIV2ProtobufEncodesTheDocument() throws {
        let doc: JSONValue = [
            "swagger": "2.0", "info": ["title": "T", "version": "1"],
            "paths": ["/p/{name}": ["parameters": [["name": "name", "in": "path", "required": true, "type": "string"]]]],
            "definitions": ["D": ["type": "object", "required": ["a"], "properties": ["a": ["type": "string"]]]],
        ]
        let bytes = OpenAPIV2.protobuf(doc)
        let expected: [UInt8] =
            [0x0a, 3] + Array("2.0".utf8)
            + [0x12, 6, 0x0a, 1, 0x54, 0x12, 1, 0x31]  // info { title "T", version "1" }
            // paths { path { name "/p/{name}", value { parameters { parameter { non_body { path_sub { required, in, name, type } } } } } } }
            + [0x42, 45, 0x12, 43, 0x0a, 9] + Array("/p/{name}".utf8)
            + [0x12, 30, 0x4a, 28, 0x0a, 26, 0x12, 24, 0x22, 22, 0x08, 1, 0x12, 4] + Array("path".utf8)
            + [0x22, 4] + Array("name".utf8) + [0x2a, 6] + Array("string".utf8)
            // definitions { additional_properties { name "D", value { required "a", type { "object" }, properties { a: { type "string" } } } } }
            + [0x4a, 43, 0x0a, 41, 0x0a, 1, 0x44, 0x12, 36, 0x9a, 0x01, 1, 0x61, 0xb2, 0x01, 8, 0x0a, 6] + Array("object".utf8)
            + [0xca, 0x01, 18, 0x0a, 16, 0x0a, 1, 0x61, 0x12, 11, 0xb2, 0x01, 8, 0x0a, 6] + Array("string".utf8)
        #expect(bytes == expected)
    }
}
