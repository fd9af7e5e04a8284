import Foundation
import KubeClient
import KubeModel

/// The pod a streaming verb (exec, attach, port-forward) works on, as kubectl's
/// AttachablePodForObject finds it: a pod named as such, or the most active pod a workload's or
/// Service's selector picks (waiting up to --pod-running-timeout for one to appear).
struct AttachablePod {
    let pod: JSONValue
    /// The object named, when it was not the pod (a Service, for port-forward's port lookup).
    let owner: JSONValue?

    static func resolve(_ target: String, _ session: Session, timeout: Duration) async throws -> AttachablePod {
        let parts = target.split(separator: "/", maxSplits: 1).map(String.init)
        let resource = parts.count == 2 ? try await session.resource(parts[0]) : APIResource.pods
        let name = parts.count == 2 ? parts[1] : target
        guard !name.isEmpty else { throw KctlError("arguments in resource/name form must have a single resource and name") }
        let object = try await session.client.call("GET", resource.path(namespace: resource.namespaced ? session.namespace : nil, name: name))
        if resource.kind == "Pod" { return AttachablePod(pod: object, owner: nil) }
        let selector = try Self.selector(object, kind: resource.kind, version: resource.version)
        return AttachablePod(pod: try await firstPod(session, selector: selector, timeout: timeout), owner: object)
    }

    /// SelectorsForObject: the label selector of the kinds that have one.
    static func selector(_ o: JSONValue, kind: String, version: String) throws -> String {
        let type = "*\(version).\(kind)"
        switch kind {
        case "Service", "ReplicationController":
            let map = o[path: ["spec", "selector"]]?.objectValue ?? [:]
            if map.isEmpty && kind == "Service" {
                throw KctlError("cannot attach to \(type): invalid service '\(o.metadata.name)': Service is defined without a selector")
            }
            return map.keys.sorted().map { "\($0)=\(map[$0]?.stringValue ?? "")" }.joined(separator: ",")
        case "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job":
            let s = Describers.selector(o[path: ["spec", "selector"]])
            return s == "<none>" ? "" : s
        default:
            throw KctlError("cannot attach to \(type): selector for \(type) not implemented")
        }
    }

    /// GetFirstPod: the most active of the pods listed, else the first one a watch sees.
    static func firstPod(_ session: Session, selector: String, timeout: Duration) async throws -> JSONValue {
        let path = APIResource.pods.path(namespace: session.namespace)
        let list = try await session.client.call("GET", path, query: [("labelSelector", selector)])
        if let best = ObjectList(list).items.max(by: Self.lessActive) { return best }
        let since = list[path: ["metadata", "resourceVersion"]]?.stringValue ?? ""
        let events = session.client.watch(path: path, query: [("labelSelector", selector), ("resourceVersion", since), ("watch", "true")], accept: "application/json")
        return try await withThrowingTaskGroup(of: JSONValue?.self) { group in
            group.addTask {
                for try await e in events where e.type == "ADDED" || e.type == "MODIFIED" { return e.object }
                return nil
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            guard let pod = try await group.next() ?? nil else { throw KctlError("timed out waiting for the condition") }
            return pod
        }
    }

    /// podutils.ActivePods' order: unassigned < assigned, Pending < Unknown < Running, not
    /// ready < ready, ready for less time < more, more restarts < fewer, newer < older.
    static func lessActive(_ a: JSONValue, _ b: JSONValue) -> Bool {
        let pa = Pod(a), pb = Pod(b)
        if pa.spec.isBound != pb.spec.isBound { return !pa.spec.isBound }
        let rank = ["Pending": 0, "Unknown": 1, "Running": 2]
        let ra = rank[pa.status.phase ?? "Pending"] ?? 0, rb = rank[pb.status.phase ?? "Pending"] ?? 0
        if ra != rb { return ra < rb }
        let readyA = readySince(pa), readyB = readySince(pb)
        if (readyA != nil) != (readyB != nil) { return readyA == nil }
        if let readyA, let readyB, readyA != readyB { return readyA > readyB }
        let restartsA = pa.status.containerStatuses.map(\.restartCount).max() ?? 0
        let restartsB = pb.status.containerStatuses.map(\.restartCount).max() ?? 0
        if restartsA != restartsB { return restartsA > restartsB }
        return (a.creationTimestamp ?? .distantFuture) > (b.creationTimestamp ?? .distantFuture)
    }

    private static func readySince(_ p: Pod) -> Date? {
        p.status.conditions.first { $0.type == "Ready" && $0.status == "True" }.map { $0.lastTransitionTime ?? .distantPast }
    }

    /// FindOrDefaultContainerByName: the named container, else the annotated default, else the
    /// first (saying so when there was a choice).
    static func container(_ pod: JSONValue, named name: String?, quiet: Bool) throws -> JSONValue {
        let p = Pod(pod)
        let all = p.spec.containers.map(\.json) + p.spec.initContainers.map(\.json) + (pod[path: ["spec", "ephemeralContainers"]]?.arrayValue ?? [])
        if let name, !name.isEmpty {
            guard let c = all.first(where: { $0["name"]?.stringValue == name }) else {
                throw KctlError("container \(name) not found in pod \(pod.metadata.name)")
            }
            return c
        }
        guard let first = p.spec.containers.first?.json else {
            throw KctlError("pod \(pod.metadata.namespace)/\(pod.metadata.name) does not have any containers")
        }
        if let annotated = pod.metadata.annotations["kubectl.kubernetes.io/default-container"],
            let c = p.spec.containers.first(where: { $0.name == annotated })
        {
            return c.json
        }
        if !quiet && all.count > 1 {
            let names = p.spec.containers.map(\.name) + p.spec.initContainers.map { "\($0.name) (init)" }
                + (pod[path: ["spec", "ephemeralContainers"]]?.arrayValue ?? []).map { "\($0["name"]?.stringValue ?? "") (ephem)" }
            Terminal.err("Defaulted container \(goQuote(first["name"]?.stringValue ?? "")) out of: \(names.joined(separator: ", "))")
        }
        return first
    }
}
