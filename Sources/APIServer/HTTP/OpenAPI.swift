import KubeModel

/// OpenAPI v3 documents generated from the per-kind schema: one per group-version, with a
/// PATCH operation per kind that accepts `fieldValidation` (kubectl checks this before it
/// relies on server-side validation) and component schemas for `kubectl explain`.
enum OpenAPI {
    static func root(_ catalog: ResourceCatalog) -> JSONValue {
        var paths: [String: JSONValue] = [:]
        for (group, versions) in catalog.groupVersions {
            for v in versions {
                let p = group.isEmpty ? "api/\(v)" : "apis/\(group)/\(v)"
                paths[p] = ["serverRelativeURL": .string("/openapi/v3/\(p)")]
            }
        }
        return ["paths": .object(paths)]
    }

    static func package(of type: String, _ r: ResourceInfo?) -> String {
        switch type {
        case "ObjectMeta", "OwnerReference", "LabelSelector", "LabelSelectorRequirement", "ListMeta", "DeleteOptions",
            "Preconditions", "Condition":
            return "io.k8s.apimachinery.pkg.apis.meta.v1"
        default:
            guard let r, r.schemaType == type || type.hasPrefix(r.kind) else { return "io.k8s.api.core.v1" }
            let g = r.group.isEmpty ? "core" : r.group.split(separator: ".").first.map(String.init) ?? r.group
            return "io.k8s.api.\(g).\(r.version)"
        }
    }

    /// The OpenAPI document of one group-version ("api/v1", "apis/apps/v1"); nil if unknown.
    static func document(_ gvPath: String, _ catalog: ResourceCatalog, _ schemaRegistry: SchemaRegistry) -> JSONValue? {
        let parts = gvPath.split(separator: "/").map(String.init)
        let (group, version): (String, String)
        if parts.count == 2 && parts[0] == "api" { (group, version) = ("", parts[1]) }
        else if parts.count == 3 && parts[0] == "apis" { (group, version) = (parts[1], parts[2]) }
        else { return nil }
        // Stored kinds, and kinds served only for reading (the metrics); Binding is create-only.
        let resources = catalog.all.filter { $0.group == group && $0.version == version && ($0.definition.isStored || $0.definition.verbs.contains("get")) }
        guard !resources.isEmpty else { return nil }
        var paths: [String: JSONValue] = [:]
        var names: [String: String] = [:]
        var pending: [(String, ResourceInfo?)] = []
        for r in resources { pending.append((r.schemaType, r)) }
        var schemas: [String: JSONValue] = scalarSchemas
        while let (type, owner) = pending.popLast() {
            guard names[type] == nil, let t = schemaRegistry[type] else { continue }
            let display = (owner?.schemaType == type ? owner?.kind : nil) ?? type
            names[type] = "\(package(of: type, owner)).\(display)"
            for f in t.fieldOrder {
                if let ref = refName(t.fields[f]?.type) { pending.append((ref, owner)) }
            }
        }
        for (type, name) in names {
            guard let t = schemaRegistry[type] else { continue }
            var s = objectSchema(t, names)
            if let kindInfo = resources.first(where: { $0.schemaType == type }) {
                s["x-kubernetes-group-version-kind"] = [["group": .string(kindInfo.group), "version": .string(version), "kind": .string(kindInfo.kind)]]
            }
            schemas[name] = s
        }
        for r in resources {
            let base = (group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)") + (r.namespaced ? "/namespaces/{namespace}" : "")
            let gvk: JSONValue = ["group": .string(r.group), "version": .string(r.version), "kind": .string(r.kind)]
            let ref: JSONValue = ["$ref": .string("#/components/schemas/\(names[r.schemaType] ?? r.kind)")]
            let body: JSONValue = ["content": ["application/json": ["schema": ref]]]
            func op(_ id: String, _ params: [String]) -> JSONValue {
                [
                    "operationId": .string(id), "x-kubernetes-group-version-kind": gvk,
                    "parameters": .array(params.map { ["name": .string($0), "in": "query", "schema": ["type": "string"]] }),
                    "responses": ["200": ["description": "OK", "content": ["application/json": ["schema": ref]]]],
                ]
            }
            // Path templates declare their parameters once, on the path item, as kube-apiserver's do.
            let namespaceParam: [JSONValue] = r.namespaced ? [pathParameter("namespace", "object name and auth scope, such as for teams and projects")] : []
            // Only the verbs the kind serves (metrics: get and list).
            let verbs = Set(r.definition.verbs)
            var collection: JSONValue = ["parameters": .array(namespaceParam)]
            if verbs.contains("list") {
                collection["get"] = op("list\(r.kind)", ["labelSelector", "fieldSelector", "limit", "continue", "watch", "resourceVersion", "resourceVersionMatch"])
            }
            if verbs.contains("create") { collection["post"] = op("create\(r.kind)", ["dryRun", "fieldManager", "fieldValidation"]).merging(["requestBody": body]) }
            paths["\(base)/\(r.plural)"] = collection
            var item: JSONValue = ["parameters": .array([pathParameter("name", "name of the \(r.kind)")] + namespaceParam)]
            if verbs.contains("get") { item["get"] = op("read\(r.kind)", []) }
            if verbs.contains("update") { item["put"] = op("replace\(r.kind)", ["dryRun", "fieldManager", "fieldValidation"]).merging(["requestBody": body]) }
            if verbs.contains("patch") {
                item["patch"] = op("patch\(r.kind)", ["dryRun", "fieldManager", "fieldValidation", "force"]).merging([
                    "requestBody": ["content": [
                        "application/json-patch+json": ["schema": ["type": "object"]],
                        "application/merge-patch+json": ["schema": ["type": "object"]],
                        "application/strategic-merge-patch+json": ["schema": ["type": "object"]],
                        "application/apply-patch+yaml": ["schema": ["type": "object"]],
                    ]],
                ])
            }
            if verbs.contains("delete") { item["delete"] = op("delete\(r.kind)", ["dryRun", "gracePeriodSeconds", "propagationPolicy"]) }
            paths["\(base)/\(r.plural)/{name}"] = item
        }
        return [
            "openapi": "3.0.0", "info": ["title": "Kubernetes", "version": "v1.32.0"],
            "paths": .object(paths), "components": ["schemas": .object(schemas)],
        ]
    }

    static func pathParameter(_ name: String, _ description: String) -> JSONValue {
        ["name": .string(name), "in": "path", "description": .string(description), "required": true,
         "schema": ["type": "string", "uniqueItems": true]]
    }

    private static func refName(_ t: SchemaType?) -> String? {
        switch t {
        case .ref(let n)?: return n
        case .array(let e)?, .map(let e)?: return refName(e)
        default: return nil
        }
    }

    static let intOrStringName = "io.k8s.apimachinery.pkg.util.intstr.IntOrString"
    static let quantityName = "io.k8s.apimachinery.pkg.api.resource.Quantity"

    /// The two scalar types Kubernetes publishes as named schemas.
    static let scalarSchemas: [String: JSONValue] = [
        intOrStringName: ["description": "IntOrString is a type that can hold an int32 or a string.", "format": "int-or-string", "x-kubernetes-int-or-string": true],
        quantityName: ["description": "Quantity is a fixed-point representation of a number (\"200m\", \"256Mi\").", "x-kubernetes-int-or-string": true],
    ]

    static func objectSchema(_ t: TypeSchema, _ names: [String: String]) -> JSONValue {
        var props: [String: JSONValue] = [:]
        for f in t.fieldOrder {
            guard let field = t.fields[f] else { continue }
            var p = typeSchema(field.type, names)
            if !field.description.isEmpty { p["description"] = .string(field.description) }
            if let key = field.mergeKey {
                p["x-kubernetes-patch-merge-key"] = .string(key)
                p["x-kubernetes-patch-strategy"] = .string((["merge"] + field.patchStrategies).joined(separator: ","))
            } else if !field.patchStrategies.isEmpty {
                p["x-kubernetes-patch-strategy"] = .string(field.patchStrategies.joined(separator: ","))
            }
            props[f] = p
        }
        var s: JSONValue = ["type": "object", "properties": .object(props)]
        if !t.description.isEmpty { s["description"] = .string(t.description) }
        let required = t.fieldOrder.filter { t.fields[$0]?.required == true }
        if !required.isEmpty { s["required"] = .array(required.map { .string($0) }) }
        return s
    }

    static func typeSchema(_ t: SchemaType, _ names: [String: String]) -> JSONValue {
        switch t {
        case .string: return ["type": "string", "default": ""]
        case .dateTime: return ["type": "string", "format": "date-time"]
        case .integer: return ["type": "integer", "format": "int32"]
        case .integer64: return ["type": "integer", "format": "int64"]
        case .number: return ["type": "number", "format": "double"]
        case .boolean: return ["type": "boolean"]
        case .bytes: return ["type": "string", "format": "byte"]
        case .intOrString: return ["allOf": [["$ref": .string("#/components/schemas/" + intOrStringName)]]]
        case .quantity: return ["allOf": [["$ref": .string("#/components/schemas/" + quantityName)]]]
        case .any: return ["type": "object", "x-kubernetes-preserve-unknown-fields": true]
        case .ref(let n):
            guard let name = names[n] else { return ["type": "object", "x-kubernetes-preserve-unknown-fields": true] }
            return ["allOf": [["$ref": .string("#/components/schemas/\(name)")]], "default": .emptyObject]
        case .array(let e): return ["type": "array", "items": typeSchema(e, names)]
        case .map(let e): return ["type": "object", "additionalProperties": typeSchema(e, names)]
        }
    }
}

extension JSONValue {
    func merging(_ other: [String: JSONValue]) -> JSONValue {
        var o = self
        for (k, v) in other { o[k] = v }
        return o
    }
}
