import KubeModel

extension APIResource {
    /// The resource as kplane's catalog describes it, for components that know what they
    /// watch and need no discovery round trip.
    public init(_ info: ResourceInfo) {
        self.init(group: info.group, version: info.version, kind: info.kind, plural: info.plural, singular: info.singular,
                  shortNames: info.shortNames, namespaced: info.namespaced, verbs: ResourceInfo.verbs, categories: info.categories)
    }

    /// A built-in resource by its qualified plural (`pods`, `deployments.apps`, `events`).
    public static func builtin(_ qualifiedPlural: String) -> APIResource {
        guard let info = ResourceCatalog.all.first(where: { $0.qualifiedPlural == qualifiedPlural }) else {
            preconditionFailure("no built-in resource \(qualifiedPlural)")
        }
        return APIResource(info)
    }

    public static let pods = builtin("pods")
    public static let nodes = builtin("nodes")
    public static let namespaces = builtin("namespaces")
    public static let events = builtin("events")
    public static let replicaSets = builtin("replicasets.apps")
    public static let deployments = builtin("deployments.apps")
    public static let leases = builtin("leases.coordination.k8s.io")
    public static let configMaps = builtin("configmaps")
    public static let secrets = builtin("secrets")
}
