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
    /// How this version converts to and from the storage version; nil when stored as served.
    public var conversion: KindDefinition.Conversion? { definition.versions.first { $0.name == version }?.conversion }

    public static let verbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]
}

/// The resources a server serves, in the order discovery lists them: each kind's served
/// versions, derived from a list of kinds (a server's `APIServerConfig.kinds`). Discovery,
/// request paths, tables, field selectors, validation, watch and garbage collection read the
/// server's catalog; per-server registries (schemas) can be built from `kinds`.
public struct ResourceCatalog: Sendable {
    /// The kinds, in discovery order.
    public let kinds: [KindDefinition]
    public let all: [ResourceInfo]
    /// Group versions in discovery order; the first version of a group is the preferred one.
    public let groupVersions: [(group: String, versions: [String])]
    /// group → version → plural: every request resolves its resource here, so no linear scan.
    private let byPath: [String: [String: [String: ResourceInfo]]]
    /// One resource per stored collection (HPA v1 and v2 share one), by storage key.
    private let byStorageKey: [String: ResourceInfo]

    public init(kinds: [KindDefinition]) {
        self.kinds = kinds
        all = kinds.flatMap(\.resources)
        var gvs: [(group: String, versions: [String])] = []
        var index: [String: [String: [String: ResourceInfo]]] = [:]
        var stored: [String: ResourceInfo] = [:]
        for r in all {
            if let i = gvs.firstIndex(where: { $0.group == r.group }) {
                if !gvs[i].versions.contains(r.version) { gvs[i].versions.append(r.version) }
            } else {
                gvs.append((r.group, [r.version]))
            }
            if index[r.group]?[r.version]?[r.plural] == nil { index[r.group, default: [:]][r.version, default: [:]][r.plural] = r }
            if r.definition.isStored && stored[r.storageKey] == nil { stored[r.storageKey] = r }
        }
        groupVersions = gvs
        byPath = index
        byStorageKey = stored
    }

    /// The kinds kplane serves by default.
    public static let builtin = ResourceCatalog(kinds: Kinds.builtin)

    public func find(group: String, version: String, plural: String) -> ResourceInfo? {
        byPath[group]?[version]?[plural]
    }

    public func find(apiVersion: String, kind: String) -> ResourceInfo? {
        all.first { $0.groupVersion == apiVersion && $0.kind == kind }
    }

    /// The resource whose objects are stored under this key, if it is stored.
    public func stored(_ storageKey: String) -> ResourceInfo? { byStorageKey[storageKey] }

    /// One resource per stored collection, in discovery order.
    public var storedResources: [ResourceInfo] {
        var seen = Set<String>()
        return all.filter { $0.definition.isStored && seen.insert($0.storageKey).inserted }
    }

    // The built-in kinds, for clients, controllers and tools that know no server's catalog.
    public static var all: [ResourceInfo] { builtin.all }
    public static var groupVersions: [(group: String, versions: [String])] { builtin.groupVersions }
    public static func find(group: String, version: String, plural: String) -> ResourceInfo? {
        builtin.find(group: group, version: version, plural: plural)
    }
    public static func find(apiVersion: String, kind: String) -> ResourceInfo? { builtin.find(apiVersion: apiVersion, kind: kind) }
}
