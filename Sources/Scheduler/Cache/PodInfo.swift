import KubeModel

/// What the scheduler reads of a pod, decoded once from its JSON when the pod is seen.
struct PodInfo: Sendable {
    let key: String
    let namespace: String
    let name: String
    let uid: String
    let labels: [String: String]
    let nodeName: String
    let priority: Int64
    let requests: ResourceList
    /// Requests with stand-ins for containers that ask for nothing, for scoring only.
    let nonZeroRequests: ResourceList
    let tolerations: [Toleration]
    let nodeSelector: [String: String]
    /// Required node affinity: nil when the pod has none (every node matches).
    let requiredNodeAffinity: [NodeSelectorTerm]?
    let preferredNodeAffinity: [(weight: Int64, term: NodeSelectorTerm)]
    let requiredAffinity: [AffinityTerm]
    let requiredAntiAffinity: [AffinityTerm]
    let preferredAffinity: [(weight: Int64, term: AffinityTerm)]
    let preferredAntiAffinity: [(weight: Int64, term: AffinityTerm)]
    let spreadConstraints: [SpreadConstraint]
    /// The uid of the controller that owns the pod (its ReplicaSet), for default spreading.
    let ownerUID: String?
    let hostPorts: [HostPort]
    let schedulerName: String
    /// `preemptionPolicy: Never`: the pod waits rather than displace others.
    let preemptionNever: Bool

    init(_ pod: JSONValue) {
        namespace = pod.metaNamespace
        name = pod.metaName
        key = namespace.isEmpty ? name : "\(namespace)/\(name)"
        uid = pod.uid
        labels = labelsOf(pod)
        let spec = Pod(pod).spec
        nodeName = spec.nodeName ?? ""
        priority = spec.priority ?? 0
        requests = ResourceList.requests(ofPod: pod)
        nonZeroRequests = ResourceList.nonZeroRequests(ofPod: pod)
        tolerations = spec.tolerations
        nodeSelector = spec.nodeSelector
        let affinity = spec.affinity, nodeAffinity = affinity.nodeAffinity
        requiredNodeAffinity = nodeAffinity.required
        preferredNodeAffinity = nodeAffinity.preferred.map { ($0.weight, $0.preference) }
        let ns = namespace
        func weighted(_ a: PodAffinity) -> [(weight: Int64, term: AffinityTerm)] {
            a.preferred.map { ($0.weight, AffinityTerm($0.term, podNamespace: ns)) }
        }
        requiredAffinity = affinity.podAffinity.required.map { AffinityTerm($0, podNamespace: ns) }
        requiredAntiAffinity = affinity.podAntiAffinity.required.map { AffinityTerm($0, podNamespace: ns) }
        preferredAffinity = weighted(affinity.podAffinity)
        preferredAntiAffinity = weighted(affinity.podAntiAffinity)
        spreadConstraints = spec.topologySpreadConstraints.map { SpreadConstraint($0) }
        ownerUID = Pod(pod).metadata.controllerRef?.uid
        var ports: [HostPort] = []
        for c in spec.containers {
            for p in c.ports {
                guard let hp = p.hostPort, hp > 0 else { continue }
                ports.append(HostPort(ip: p.hostIP ?? "0.0.0.0", proto: p.protocol ?? "TCP", port: hp))
            }
        }
        hostPorts = ports
        schedulerName = spec.schedulerName ?? "default-scheduler"
        preemptionNever = spec.preemptionPolicy == "Never"
    }
}

/// A pod (anti-)affinity term: pods matching `selector` in `namespaces`, counted per domain of
/// `topologyKey`.
struct AffinityTerm: Sendable {
    let selector: LabelSelector
    /// nil with a namespaceSelector of `{}`: every namespace.
    let namespaces: Set<String>?
    let topologyKey: String

    init(_ term: PodAffinityTerm, podNamespace: String) {
        selector = LabelSelector.orNothing(term.labelSelector)
        let listed = term.namespaces
        if term.namespaceSelector?.objectValue?.isEmpty == true {
            namespaces = nil
        } else {
            namespaces = listed.isEmpty ? [podNamespace] : Set(listed)
        }
        topologyKey = term.topologyKey
    }

    func matches(_ pod: PodInfo) -> Bool {
        if let namespaces, !namespaces.contains(pod.namespace) { return false }
        return selector.matches(pod.labels)
    }
}

/// A topology spread constraint, with Kubernetes' defaults for the optional fields.
struct SpreadConstraint: Sendable {
    let maxSkew: Int64
    let topologyKey: String
    /// `DoNotSchedule` filters; `ScheduleAnyway` only scores.
    let hard: Bool
    let selector: LabelSelector
    let minDomains: Int64
    /// nodeAffinityPolicy Honor (the default) counts only nodes the pod's node affinity allows.
    let honorNodeAffinity: Bool
    /// nodeTaintsPolicy Ignore (the default) counts tainted nodes too.
    let honorTaints: Bool

    init(_ c: TopologySpreadConstraint) {
        maxSkew = c.maxSkew
        topologyKey = c.topologyKey
        hard = c.whenUnsatisfiable == "DoNotSchedule"
        selector = LabelSelector.orNothing(c.labelSelector)
        minDomains = c.minDomains
        honorNodeAffinity = c.nodeAffinityPolicy == "Honor"
        honorTaints = c.nodeTaintsPolicy == "Honor"
    }

    init(maxSkew: Int64, topologyKey: String, selector: LabelSelector) {
        self.maxSkew = maxSkew
        self.topologyKey = topologyKey
        hard = false
        self.selector = selector
        minDomains = 1
        honorNodeAffinity = true
        honorTaints = false
    }
}

struct HostPort: Sendable, Hashable {
    let ip: String
    let proto: String
    let port: Int64

    /// 0.0.0.0 conflicts with every address on the same protocol and port.
    func conflicts(_ o: HostPort) -> Bool {
        port == o.port && proto == o.proto && (ip == o.ip || ip == "0.0.0.0" || o.ip == "0.0.0.0")
    }
}

extension LabelSelector {
    /// No label has an empty key, so this selects nothing.
    static let nothing = LabelSelector([LabelRequirement(key: "", op: .exists, values: [])])

    /// A structured selector; a missing or invalid one selects nothing, as in Kubernetes.
    static func orNothing(_ json: JSONValue?) -> LabelSelector {
        guard let json, json != .null else { return .nothing }
        // Safe to drop the error: an invalid selector selects nothing (validation rejects one anyway).
        return (try? LabelSelector.from(json)) ?? .nothing
    }
}
