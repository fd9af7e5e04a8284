import KubeModel
@testable import Scheduler

/// Nodes and pods as JSON, the way the API would hand them to the scheduler.
enum Fixture {
    static func node(_ name: String, cpu: String = "4", memory: String = "16Gi", pods: Int = 110, labels: [String: String] = [:],
                     taints: [Taint] = [], unschedulable: Bool = false) -> JSONValue {
        var l: [String: JSONValue] = ["kubernetes.io/hostname": .string(name)]
        for (k, v) in labels { l[k] = .string(v) }
        var spec: JSONValue = .emptyObject
        if !taints.isEmpty { spec["taints"] = .array(taints.map(\.json)) }
        if unschedulable { spec["unschedulable"] = true }
        let alloc: JSONValue = ["cpu": .string(cpu), "memory": .string(memory), "pods": .string(String(pods))]
        return ["apiVersion": "v1", "kind": "Node", "metadata": ["name": .string(name), "labels": .object(l)], "spec": spec,
                "status": ["allocatable": alloc, "capacity": alloc]]
    }

    static func pod(_ name: String, namespace: String = "default", cpu: String? = nil, memory: String? = nil, labels: [String: String] = [:],
                    node: String? = nil, owner: String? = nil, spec extra: [String: JSONValue] = [:]) -> JSONValue {
        var requests: [String: JSONValue] = [:]
        if let cpu { requests["cpu"] = .string(cpu) }
        if let memory { requests["memory"] = .string(memory) }
        var container: JSONValue = ["name": "c", "image": "nginx"]
        if !requests.isEmpty { container["resources"] = ["requests": .object(requests)] }
        var spec: JSONValue = ["containers": [container], "schedulerName": "default-scheduler"]
        if let node { spec["nodeName"] = .string(node) }
        for (k, v) in extra { spec[k] = v }
        var meta: JSONValue = ["name": .string(name), "namespace": .string(namespace), "uid": .string("uid-" + name),
                               "labels": .object(labels.mapValues { .string($0) })]
        if let owner { meta["ownerReferences"] = [["apiVersion": "apps/v1", "kind": "ReplicaSet", "name": .string(owner), "uid": .string(owner), "controller": true]] }
        return ["apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec]
    }

    /// A cache holding these nodes and (bound) pods.
    static func cluster(_ nodes: [JSONValue], pods: [JSONValue] = []) -> SchedulerCache {
        let cache = SchedulerCache()
        for n in nodes { cache.addOrUpdateNode(n) }
        for p in pods { cache.setPod(PodInfo(p)) }
        return cache
    }

    static func schedule(_ pod: JSONValue, _ cache: SchedulerCache, random: @escaping () -> Int = { 0 }) -> Framework.Outcome {
        cache.state.withLock { Framework.default.schedule(PodInfo(pod), &$0, random: random) }
    }

    /// Where each pod lands when scheduled in order, each assumed on its node.
    static func place(_ pods: [JSONValue], _ cache: SchedulerCache) -> [String] {
        pods.map { p in
            cache.state.withLock { s in
                let info = PodInfo(p)
                guard case .scheduled(let node, _) = Framework.default.schedule(info, &s, random: { 0 }) else { return "-" }
                SchedulerCache.assume(&s, info, on: node)
                return node
            }
        }
    }

    static func message(_ outcome: Framework.Outcome) -> String? {
        if case .unschedulable(let e) = outcome { return e.message }
        return nil
    }

    static func node(of outcome: Framework.Outcome) -> String? {
        if case .scheduled(let n, _) = outcome { return n }
        return nil
    }
}
