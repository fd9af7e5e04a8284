import KubeModel

/// The OpenAPI v2 (Swagger 2.0) document kube-apiserver serves at `/openapi/v2`, made from the
/// same per-group-version documents as v3. kubectl 1.27 and 1.28 need it, as gnostic's protobuf,
/// before every apply: they look for `fieldValidation` on each kind's PATCH operation, and
/// validate a `kind: List` against its definitions on the client.
enum OpenAPIV2 {
    /// What kubectl asks for (the older `@` spelling) and what kube-openapi answers with: Go's
    /// mime parser rejects the `@`, so the reply names the dotted type.
    static let protobufAccept = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf"
    static let protobufContentType = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf"

    static func wantsProtobuf(_ accept: String) -> Bool {
        AcceptHeader.mentions(accept, protobufAccept) || AcceptHeader.mentions(accept, protobufContentType)
    }

    /// The Swagger 2.0 document as JSON.
    static func document(_ catalog: ResourceCatalog, _ schemas: SchemaRegistry) -> JSONValue {
        var paths: [String: JSONValue] = [:]
        var definitions: [String: JSONValue] = [:]
        for (group, versions) in catalog.groupVersions {
            for v in versions {
                guard let doc = OpenAPI.document(group.isEmpty ? "api/\(v)" : "apis/\(group)/\(v)", catalog, schemas) else { continue }
                for (name, schema) in doc[path: ["components", "schemas"]]?.objectValue ?? [:] {
                    definitions[name] = definition(name, schema)
                }
                for (p, item) in doc["paths"]?.objectValue ?? [:] { paths[p] = pathItem(item) }
            }
        }
        return [
            "swagger": "2.0", "info": ["title": "Kubernetes", "version": "v1.32.0"],
            "paths": .object(paths), "definitions": .object(definitions),
        ]
    }

    /// A named schema; the two scalars Kubernetes publishes are strings in v2.
    private static func definition(_ name: String, _ s: JSONValue) -> JSONValue {
        var out = schema(s)
        if name == OpenAPI.intOrStringName { out["type"] = "string"; out["format"] = "int-or-string" }
        if name == OpenAPI.quantityName { out["type"] = "string" }
        return out
    }

    /// A v3 schema in v2 form: references point into `definitions`, `allOf: [ref]` is the ref
    /// itself, defaults are left out.
    static func schema(_ s: JSONValue) -> JSONValue {
        guard case .object(var o) = s else { return s }
        if let ref = o["allOf"]?.arrayValue?.first?["$ref"], o["allOf"]?.arrayValue?.count == 1 {
            o["allOf"] = nil
            o["$ref"] = ref
        }
        if let ref = o["$ref"]?.stringValue {
            o["$ref"] = .string(ref.replacingAll("#/components/schemas/", with: "#/definitions/"))
        }
        o["default"] = nil
        if let props = o["properties"]?.objectValue { o["properties"] = .object(props.mapValues(schema)) }
        if let items = o["items"] { o["items"] = schema(items) }
        if let extra = o["additionalProperties"], case .object = extra { o["additionalProperties"] = schema(extra) }
        return .object(o)
    }

    private static func pathItem(_ item: JSONValue) -> JSONValue {
        var out: [String: JSONValue] = [:]
        for (key, value) in item.objectValue ?? [:] {
            if key == "parameters" {
                out[key] = .array((value.arrayValue ?? []).map(parameter))
            } else {
                out[key] = operation(value)
            }
        }
        return .object(out)
    }

    private static func parameter(_ p: JSONValue) -> JSONValue {
        var out: JSONValue = ["name": p["name"] ?? "", "in": p["in"] ?? "query", "type": "string"]
        if let d = p["description"] { out["description"] = d }
        if p["required"] == true { out["required"] = true }
        if p[path: ["schema", "uniqueItems"]] == true { out["uniqueItems"] = true }
        return out
    }

    private static func operation(_ op: JSONValue) -> JSONValue {
        var out: JSONValue = [
            "operationId": op["operationId"] ?? "",
            "consumes": ["*/*"], "produces": ["application/json", "application/yaml", "application/vnd.kubernetes.protobuf"],
            "schemes": ["https"],
        ]
        if let gvk = op["x-kubernetes-group-version-kind"] { out["x-kubernetes-group-version-kind"] = gvk }
        var params = (op["parameters"]?.arrayValue ?? []).map(parameter)
        if let content = op[path: ["requestBody", "content"]]?.objectValue {
            let body = content["application/json"]?["schema"].map(schema) ?? ["type": "object"]
            params.insert(["name": "body", "in": "body", "required": true, "schema": body], at: 0)
            if op["operationId"]?.stringValue?.hasPrefix("patch") == true { out["consumes"] = .array(content.keys.sorted().map { .string($0) }) }
        }
        out["parameters"] = .array(params)
        var responses: [String: JSONValue] = [:]
        for (code, r) in op["responses"]?.objectValue ?? [:] {
            var resp: JSONValue = ["description": r["description"] ?? ""]
            if let s = r[path: ["content", "application/json", "schema"]] { resp["schema"] = schema(s) }
            responses[code] = resp
        }
        out["responses"] = .object(responses)
        return out
    }
}
