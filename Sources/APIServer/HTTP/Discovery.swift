import KubeModel

/// Discovery documents (legacy APIResourceList & co., and aggregated v2), built once from the
/// server's resource catalog.
enum Discovery {
    static let aggregatedContentType = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"

    static func verbs(_ r: ResourceInfo) -> [String] {
        r.definition.verbs
    }

    struct Sub {
        let name: String
        let kind: String
        let group: String?
        let version: String?
        let verbs: [String]
    }

    static func subresources(_ r: ResourceInfo) -> [Sub] {
        r.subresources.compactMap { s in
            switch s {
            case "status": return Sub(name: s, kind: r.kind, group: nil, version: nil, verbs: ["get", "patch", "update"])
            case "scale": return Sub(name: s, kind: "Scale", group: "autoscaling", version: "v1", verbs: ["get", "patch", "update"])
            case "log": return Sub(name: s, kind: "Pod", group: nil, version: nil, verbs: ["get"])
            case "binding": return Sub(name: s, kind: "Binding", group: nil, version: nil, verbs: ["create"])
            case "eviction": return Sub(name: s, kind: "Eviction", group: "policy", version: "v1", verbs: ["create"])
            case "finalize": return Sub(name: s, kind: "Namespace", group: nil, version: nil, verbs: ["update"])
            case "proxy": return Sub(name: s, kind: r.kind + "ProxyOptions", group: nil, version: nil, verbs: ["create", "delete", "get", "patch", "update"])
            case "exec": return Sub(name: s, kind: "PodExecOptions", group: nil, version: nil, verbs: ["create", "get"])
            case "attach": return Sub(name: s, kind: "PodAttachOptions", group: nil, version: nil, verbs: ["create", "get"])
            case "portforward": return Sub(name: s, kind: "PodPortForwardOptions", group: nil, version: nil, verbs: ["create", "get"])
            default: return nil
            }
        }
    }

    static func resourceList(group: String, version: String, in catalog: ResourceCatalog) -> JSONValue? {
        let rs = catalog.all.filter { $0.group == group && $0.version == version }
        guard !rs.isEmpty else { return nil }
        var items: [JSONValue] = []
        for r in rs {
            var e: JSONValue = [
                "name": .string(r.plural), "singularName": .string(r.singular), "namespaced": .bool(r.namespaced),
                "kind": .string(r.kind), "verbs": .array(verbs(r).map { .string($0) }),
            ]
            if !r.shortNames.isEmpty { e["shortNames"] = .array(r.shortNames.map { .string($0) }) }
            if !r.categories.isEmpty { e["categories"] = .array(r.categories.map { .string($0) }) }
            items.append(e)
            for s in subresources(r) {
                var se: JSONValue = [
                    "name": .string("\(r.plural)/\(s.name)"), "singularName": "", "namespaced": .bool(r.namespaced),
                    "kind": .string(s.kind), "verbs": .array(s.verbs.map { .string($0) }),
                ]
                if let g = s.group { se["group"] = .string(g) }
                if let v = s.version { se["version"] = .string(v) }
                items.append(se)
            }
        }
        return [
            "kind": "APIResourceList", "apiVersion": "v1",
            "groupVersion": .string(group.isEmpty ? version : "\(group)/\(version)"), "resources": .array(items),
        ]
    }

    static func apiVersions(serverAddress: String) -> JSONValue {
        ["kind": "APIVersions", "versions": ["v1"],
         "serverAddressByClientCIDRs": [["clientCIDR": "0.0.0.0/0", "serverAddress": .string(serverAddress)]]]
    }

    static func group(_ name: String, _ versions: [String]) -> JSONValue {
        let vs: [JSONValue] = versions.map { ["groupVersion": .string("\(name)/\($0)"), "version": .string($0)] }
        return ["name": .string(name), "versions": .array(vs), "preferredVersion": vs[0]]
    }

    static func apiGroupList(_ catalog: ResourceCatalog) -> JSONValue {
        let groups = catalog.groupVersions.filter { !$0.group.isEmpty }.map { group($0.group, $0.versions) }
        return ["kind": "APIGroupList", "apiVersion": "v1", "groups": .array(groups)]
    }

    static func apiGroup(_ name: String, in catalog: ResourceCatalog) -> JSONValue? {
        guard let g = catalog.groupVersions.first(where: { $0.group == name && !name.isEmpty }) else { return nil }
        var doc = group(g.group, g.versions)
        doc["kind"] = "APIGroup"
        doc["apiVersion"] = "v1"
        return doc
    }

    /// The aggregated (apidiscovery.k8s.io/v2) document for `/api` (core) or `/apis` (groups).
    static func aggregated(core: Bool, _ catalog: ResourceCatalog) -> JSONValue {
        var items: [JSONValue] = []
        for g in catalog.groupVersions where g.group.isEmpty == core {
            var versions: [JSONValue] = []
            for v in g.versions {
                var resources: [JSONValue] = []
                for r in catalog.all where r.group == g.group && r.version == v {
                    var e: JSONValue = [
                        "resource": .string(r.plural),
                        "responseKind": ["group": .string(r.group), "version": .string(r.version), "kind": .string(r.kind)],
                        "scope": r.namespaced ? "Namespaced" : "Cluster", "singularResource": .string(r.singular),
                        "verbs": .array(verbs(r).map { .string($0) }),
                    ]
                    if !r.shortNames.isEmpty { e["shortNames"] = .array(r.shortNames.map { .string($0) }) }
                    if !r.categories.isEmpty { e["categories"] = .array(r.categories.map { .string($0) }) }
                    let subs: [JSONValue] = subresources(r).map { s in
                        ["subresource": .string(s.name),
                         "responseKind": ["group": .string(s.group ?? r.group), "version": .string(s.version ?? r.version), "kind": .string(s.kind)],
                         "verbs": .array(s.verbs.map { .string($0) })]
                    }
                    if !subs.isEmpty { e["subresources"] = .array(subs) }
                    resources.append(e)
                }
                versions.append(["version": .string(v), "freshness": "Current", "resources": .array(resources)])
            }
            var meta: JSONValue = .emptyObject
            meta["name"] = .string(g.group)
            items.append(["metadata": meta, "versions": .array(versions)])
        }
        return ["kind": "APIGroupDiscoveryList", "apiVersion": "apidiscovery.k8s.io/v2", "metadata": .emptyObject, "items": .array(items)]
    }

    static let version: JSONValue = [
        "major": "1", "minor": "32", "gitVersion": "v1.32.0+kplane", "gitCommit": "kplane", "gitTreeState": "clean",
        "buildDate": "2026-11-25T00:00:00Z", "goVersion": "go1.23.4", "compiler": "gc", "platform": "linux/amd64",
    ]
}
