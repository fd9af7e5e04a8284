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
    /// Everything else the server knows of the kind: its rules, columns and field selectors.
    public let definition: KindDefinition

    public var groupVersion: String { group.isEmpty ? version : "\(group)/\(version)" }
    /// `deployments.apps`, `pods`: the form used in error messages.
    public var qualifiedPlural: String { group.isEmpty ? plural : "\(plural).\(group)" }
    public var hasStatus: Bool { subresources.contains("status") }
    public var hasScale: Bool { subresources.contains("scale") }

    public static let verbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]
}

/// The built-in resources kplane serves, in the order discovery lists them: each kind's
/// served versions, derived from `Kinds.builtin`.
public enum ResourceCatalog {
    public static let all: [ResourceInfo] = Kinds.builtin.flatMap(\.resources)

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
