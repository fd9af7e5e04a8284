/// The kinds kplane serves, one line each, in the order discovery lists them. Adding a kind is
/// one file in this folder (its `KindDefinition` and rules) and one line here.
public enum Kinds {
    public static let builtin: [KindDefinition] = [
        .namespace,
        .pod,
        .service,
        .endpoints,
        .configMap,
        .secret,
        .node,
        .event,
        .serviceAccount,
        .binding,
        .deployment,
        .replicaSet,
        .ingress,
        .ingressClass,
        .horizontalPodAutoscaler,
        .lease,
        .endpointSlice,
        // Served from what the nodes report, as metrics-server serves them; after the core
        // group, so `pods` and `nodes` resolve to the core kinds first.
        .nodeMetrics,
        .podMetrics,
    ]

    /// By kind name, for callers that hold a kind rather than a resource (tests, tools).
    public static func named(_ kind: String) -> KindDefinition? { byName[kind] }

    private static let byName: [String: KindDefinition] = Dictionary(builtin.map { ($0.kind, $0) }, uniquingKeysWith: { a, _ in a })
}
