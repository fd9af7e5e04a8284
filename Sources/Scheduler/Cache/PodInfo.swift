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
        let spec = pod["spec"] ?? .emptyObject
        nodeName = spec["nodeName"]?.stringValue ?? ""
        priority = spec["priority"]?.intValue ?? 0
        requests = ResourceList.requests(ofPod: pod)
        nonZeroRequests = ResourceList.nonZeroRequests(ofPod: pod)
        tolerations = Toleration.of(pod: pod)
        var selector: [String: String] = [:]
        for (k, v) in spec["nodeSelector"]?.objectValue ?? [:] { selector[k] = v.stringValue ?? "" }
        nodeSelector = selector
        let nodeAffinity = spec[path: ["affinity", "nodeAffinity"]]
        requiredNodeAffinity = nodeAffinity?[path: ["requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms"]]?.arrayValue
            .map { $0.map(NodeSelectorTerm.init) }
        preferredNodeAffinity = (nodeAffinity?["preferredDuringSchedulingIgnoredDuringExecution"]?.arrayValue ?? []).map {
            ($0["weight"]?.intValue ?? 0, NodeSelectorTerm($0["preference"] ?? .emptyObject))
        }
        let ns = namespace
        func terms(_ kind: String, _ when: String) -> [AffinityTerm] {
            (spec[path: ["affinity", kind, when]]?.arrayValue ?? []).map { AffinityTerm($0, podNamespace: ns) }
        }
        func weighted(_ kind: String) -> [(weight: Int64, term: AffinityTerm)] {
            (spec[path: ["affinity", kind, "preferredDuringSchedulingIgnoredDuringExecution"]]?.arrayValue ?? []).map {
                ($0["weight"]?.intValue ?? 0, AffinityTerm($0["podAffinityTerm"] ?? .emptyObject, podNamespace: ns))
            }
        }
        requiredAffinity = terms("podAffinity", "requiredDuringSchedulingIgnoredDuringExecution")
        requiredAntiAffinity = terms("podAntiAffinity", "requiredDuringSchedulingIgnoredDuringExecution")
        preferredAffinity = weighted("podAffinity")
        preferredAntiAffinity = weighted("podAntiAffinity")
        spreadConstraints = (spec["topologySpreadConstraints"]?.arrayValue ?? []).map { SpreadConstraint($0) }
        ownerUID = (pod[path: ["metadata", "ownerReferences"]]?.arrayValue ?? []).first { $0["controller"] == true }?["uid"]?.stringValue
        var ports: [HostPort] = []
        for c in spec["containers"]?.arrayValue ?? [] {
            for p in c["ports"]?.arrayValue ?? [] {
                guard let hp = p["hostPort"]?.intValue, hp > 0 else { continue }
                ports.append(HostPort(ip: p["hostIP"]?.stringValue ?? "0.0.0.0", proto: p["protocol"]?.stringValue ?? "TCP", port: hp))
            }
        }
        hostPorts = ports
        schedulerName = spec["schedulerName"]?.stringValue ?? "default-scheduler"
        preemptionNever = spec["preemptionPolicy"]?.stringValue == "Never"
    }
}

/// A pod (anti-)affinity term: pods matching `selector` in `namespaces`, counted per domain of
/// `topologyKey`.
struct AffinityTerm: Sendable {
    let selector: LabelSelector
    /// nil with a namespaceSelector of `{}`: every namespace.
    let namespaces: Set<String>?
    let topologyKey: String

    init(_ json: JSONValue, podNamespace: String) {
        selector = LabelSelector.orNothing(json["labelSelector"])
        let listed = (json["namespaces"]?.arrayValue ?? []).compactMap(\.stringValue)
        if json["namespaceSelector"]?.objectValue?.isEmpty == true {
            namespaces = nil
        } else {
            namespaces = listed.isEmpty ? [podNamespace] : Set(listed)
        }
        topologyKey = json["topologyKey"]?.stringValue ?? ""
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

    init(_ json: JSONValue) {
        maxSkew = json["maxSkew"]?.intValue ?? 1
        topologyKey = json["topologyKey"]?.stringValue ?? ""
        hard = (json["whenUnsatisfiable"]?.stringValue ?? "DoNotSchedule") == "DoNotSchedule"
        selector = LabelSelector.orNothing(json["labelSelector"])
        minDomains = json["minDomains"]?.intValue ?? 1
        honorNodeAffinity = (json["nodeAffinityPolicy"]?.stringValue ?? "Honor") == "Honor"
        honorTaints = json["nodeTaintsPolicy"]?.stringValue == "Honor"
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
