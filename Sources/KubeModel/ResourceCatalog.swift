/// What the API knows about one resource: names, scope, verbs, and the schema type of its kind.
public struct ResourceInfo: Sendable, Hashable {
    public let group: String
    public let version: String
    public let kind: String
    public let plural: String
    public let singular: String
    public let shortNames: [String]
    public let namespaced: Bool
    public let subresources: [String]
    public let categories: [String]
    /// The schema type name for validation (differs from kind only for HPA v1).
    public let schemaType: String
    /// Resources sharing one stored collection (HPA v1 and v2) share this key.
    public let storageKey: String

    public var groupVersion: String { group.isEmpty ? version : "\(group)/\(version)" }
    /// `deployments.apps`, `pods`: the form used in error messages.
    public var qualifiedPlural: String { group.isEmpty ? plural : "\(plural).\(group)" }
    public var hasStatus: Bool { subresources.contains("status") }
    public var hasScale: Bool { subresources.contains("scale") }

    public static let verbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]
}

/// The built-in resources kplane serves, in the order discovery lists them.
public enum ResourceCatalog {
    private static func r(
        _ group: String, _ version: String, _ kind: String, _ plural: String, short: [String] = [],
        namespaced: Bool = true, sub: [String] = [], all: Bool = false, schema: String? = nil
    ) -> ResourceInfo {
        ResourceInfo(
            group: group, version: version, kind: kind, plural: plural, singular: kind.lowercased(),
            shortNames: short, namespaced: namespaced, subresources: sub, categories: all ? ["all"] : [],
            schemaType: schema ?? kind, storageKey: group.isEmpty ? plural : "\(plural).\(group)")
    }

    public static let all: [ResourceInfo] = [
        r("", "v1", "Namespace", "namespaces", short: ["ns"], namespaced: false, sub: ["status", "finalize"]),
        r("", "v1", "Pod", "pods", short: ["po"], sub: ["status", "binding", "log", "eviction"], all: true),
        r("", "v1", "Service", "services", short: ["svc"], sub: ["status"], all: true),
        r("", "v1", "Endpoints", "endpoints", short: ["ep"]),
        r("", "v1", "ConfigMap", "configmaps", short: ["cm"]),
        r("", "v1", "Secret", "secrets"),
        r("", "v1", "Node", "nodes", short: ["no"], namespaced: false, sub: ["status"]),
        r("", "v1", "Event", "events", short: ["ev"]),
        r("", "v1", "ServiceAccount", "serviceaccounts", short: ["sa"]),
        r("", "v1", "Binding", "bindings"),
        r("apps", "v1", "Deployment", "deployments", short: ["deploy"], sub: ["status", "scale"], all: true),
        r("apps", "v1", "ReplicaSet", "replicasets", short: ["rs"], sub: ["status", "scale"], all: true),
        r("networking.k8s.io", "v1", "Ingress", "ingresses", short: ["ing"], sub: ["status"]),
        r("networking.k8s.io", "v1", "IngressClass", "ingressclasses", namespaced: false),
        r("autoscaling", "v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers", short: ["hpa"], sub: ["status"], all: true),
        r("autoscaling", "v1", "HorizontalPodAutoscaler", "horizontalpodautoscalers", short: ["hpa"], sub: ["status"], all: true,
          schema: "HorizontalPodAutoscalerV1"),
        r("coordination.k8s.io", "v1", "Lease", "leases"),
        r("discovery.k8s.io", "v1", "EndpointSlice", "endpointslices"),
    ]

    /// Group versions in discovery order; the first version of a group is the preferred one.
    public static var groupVersions: [(group: String, versions: [String])] {
        var out: [(String, [String])] = []
        for r in all {
            if let i = out.firstIndex(where: { $0.0 == r.group }) {
                if !out[i].1.contains(r.version) { out[i].1.append(r.version) }
            } else {
                out.append((r.group, [r.version]))
            }
        }
        return out
    }

    public static func find(group: String, version: String, plural: String) -> ResourceInfo? {
        byPath[group]?[version]?[plural]
    }

    /// group → version → plural: every request resolves its resource here, so no linear scan.
    private static let byPath: [String: [String: [String: ResourceInfo]]] = {
        var index: [String: [String: [String: ResourceInfo]]] = [:]
        for r in all where index[r.group]?[r.version]?[r.plural] == nil { index[r.group, default: [:]][r.version, default: [:]][r.plural] = r }
        return index
    }()

    public static func find(apiVersion: String, kind: String) -> ResourceInfo? {
        all.first { $0.groupVersion == apiVersion && $0.kind == kind }
    }
}
