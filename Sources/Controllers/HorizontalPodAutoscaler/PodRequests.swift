import Foundation
import KubeModel

/// What each pod asked for of a resource, the denominator of utilization (replica_calculator.go
/// `calculateRequests`, `calculatePodLevelRequests`, `calculatePodRequestsFromContainers`).
enum PodRequests {
    /// Pod name to its request in milli-units: the named container's when `container` is set;
    /// otherwise the pod-level request when the pod sets one (KEP-2837), else the sum of its
    /// containers and restartable (sidecar) init containers.
    static func calculate(_ pods: [Pod], container: String?, resource: String) throws -> [String: Int64] {
        var requests: [String: Int64] = [:]
        for pod in pods {
            let name = pod.metadata.name
            let container = container ?? ""
            if container.isEmpty, let podLevel = podLevelRequests(pod) {
                guard let q = podLevel[resource] else {
                    throw HPAError("missing pod-level request for \(resource) in Pod \(name)")
                }
                requests[name] = q.exactMilliValue
            } else {
                requests[name] = try fromContainers(pod, container: container, resource: resource)
            }
        }
        return requests
    }

    /// `spec.resources.requests` when it sets cpu or memory (resourcehelpers.IsPodLevelRequestsSet).
    static func podLevelRequests(_ pod: Pod) -> [String: Quantity]? {
        let set = pod.spec.resources.requestsMap
        guard set["cpu"] != nil || set["memory"] != nil else { return nil }
        return set.compactMapValues(quantity)
    }

    static func fromContainers(_ pod: Pod, container: String, resource: String) throws -> Int64 {
        var containers = pod.spec.containers
        containers += pod.spec.initContainers.filter { $0.restartPolicy == "Always" }
        var request: Int64 = 0
        for c in containers {
            if container.isEmpty || container == c.name {
                guard let q = c.resources.requestsMap[resource].flatMap(quantity) else {
                    throw HPAError("missing request for \(resource) in container \(c.name) of Pod \(pod.metadata.name)")
                }
                // Saturating: requests come from pods anyone may write (`cpu: 5e15` twice).
                request = request.addingSaturated(q.exactMilliValue)
            }
            // Container names are unique inside a pod.
            if container == c.name { return request }
        }
        if !container.isEmpty { throw HPAError("container \(container) not found in Pod \(pod.metadata.name)") }
        return request
    }
}

/// A quantity as JSON writes it: a string ("250m") or a bare number.
func quantity(_ value: JSONValue) -> Quantity? {
    if let s = value.stringValue { return Quantity(s) }
    if let i = value.intValue { return Quantity(String(i)) }
    return value.doubleValue.flatMap { Quantity(String($0)) }
}
