import Foundation
import KubeModel

/// Evaluates simulated pods' usage (`SimulatedUsage`) for one read of the metrics API: finds
/// each pod's rule on the pod, its ReplicaSet or its Deployment, and counts the running pods
/// of an owner for a `shared` rule. Owners are looked up once per read.
struct SimulatedUsageEvaluator {
    let api: APIService
    let now: Date
    /// Rules by their text: the pods of one owner share one, parsed once per read.
    private var parsed: [String: SimulatedUsage?] = [:]
    /// Owners by `namespace/plural/name`; nil when missing.
    private var owners: [String: Owner?] = [:]
    /// Running pods per controlling owner uid, counted per namespace on first need.
    private var sharers: [String: [String: Int]] = [:]

    init(api: APIService, now: Date) {
        self.api = api
        self.now = now
    }

    /// Each container's usage: the pod's, split by the containers' requests (evenly when none).
    mutating func containers(of pod: JSONValue) -> [(name: String, nanoCores: Int64, bytes: Int64)] {
        let p = Pod(pod)
        let containers = p.spec.containers
        let requests = containers.reduce(ResourceList()) { $0 + $1.resources.requests }
        let (rule, since) = rule(for: pod)
        let start = since ?? p.status.startTime ?? p.metadata.creationTimestamp ?? now
        let total = rule.usage(requests: requests, uid: p.metadata.uid, elapsed: now.timeIntervalSince(start),
                               sharers: rule.isShared ? sharerCount(pod) : 1)
        func part(_ total: Int64, _ mine: Int64, _ all: Int64, _ index: Int) -> Int64 {
            // In Double: bytes times bytes is past Int64 for requests of a few GiB.
            if all > 0 { return Int64(clampingValue: (Double(total) * Double(mine) / Double(all)).rounded(.down)) }
            return total / Int64(containers.count) + (index == 0 ? total % Int64(containers.count) : 0)
        }
        return containers.enumerated().map { i, c in
            let r = c.resources.requests
            return (c.name, part(total.nanoCores, r.milliCPU, requests.milliCPU, i), part(total.bytes, r.memory, requests.memory, i))
        }
    }

    /// The nearest rule: the pod's own, its ReplicaSet's, then that one's Deployment's.
    private mutating func rule(for pod: JSONValue) -> (SimulatedUsage, Date?) {
        if let r = parse(pod) { return r }
        var ref = pod.metadata.controllerRef
        // ReplicaSet, then Deployment: two steps at most, whatever the references say.
        for _ in 0..<2 {
            guard let r = ref, let owner = owner(pod.metadata.namespace, r) else { break }
            if let rule = owner.rule { return rule }
            ref = owner.next
        }
        return (SimulatedUsage(), nil)
    }

    private struct Owner {
        var rule: (SimulatedUsage, Date?)?
        var next: OwnerReference?
    }

    /// A ReplicaSet or Deployment owner, read once per evaluation; nil when missing or another kind.
    private mutating func owner(_ namespace: String, _ ref: OwnerReference) -> Owner? {
        let plural = ["ReplicaSet": "replicasets", "Deployment": "deployments"][ref.kind]
        guard let plural, let info = api.catalog.find(group: "apps", version: "v1", plural: plural) else { return nil }
        let key = "\(namespace)/\(plural)/\(ref.name)"
        if let cached = owners[key] { return cached }
        let found = (try? api.get(info, namespace: namespace, name: ref.name)).map { Owner(rule: parse($0), next: $0.metadata.controllerRef) }
        owners[key] = .some(found)
        return found
    }

    /// The object's rule, if its annotation holds a valid one (the API refuses invalid ones).
    private mutating func parse(_ object: JSONValue) -> (SimulatedUsage, Date?)? {
        guard let annotations = object[path: ["metadata", "annotations"]], let text = annotations[SimulatedUsage.annotation]?.stringValue else { return nil }
        if parsed[text] == nil { parsed[text] = .some(try? SimulatedUsage(parsing: text)) }
        guard let usage = parsed[text] ?? nil else { return nil }
        return (usage, annotations[SimulatedUsage.sinceAnnotation]?.stringValue.flatMap(Timestamp.parse))
    }

    /// How many running pods share the pod's controlling owner.
    private mutating func sharerCount(_ pod: JSONValue) -> Int {
        guard let owner = pod.metadata.controllerRef?.uid else { return 1 }
        let namespace = pod.metadata.namespace
        if sharers[namespace] == nil {
            var counts: [String: Int] = [:]
            if let pods = api.catalog.find(group: "", version: "v1", plural: "pods"),
                let list = try? api.list(pods, namespace: namespace, options: ListOptions()) {
                for p in list["items"]?.arrayValue ?? [] where Pod(p).status.phase == "Running" {
                    if let uid = p.metadata.controllerRef?.uid { counts[uid, default: 0] += 1 }
                }
            }
            sharers[namespace] = counts
        }
        return max(sharers[namespace]?[owner] ?? 1, 1)
    }
}
