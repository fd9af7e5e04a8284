import KubeModel

extension APIService {
    /// `pods/binding`: assigns a pod to a node, once, as the scheduler's bind does.
    public func bind(namespace: String, name: String, body: JSONValue) async throws -> JSONValue {
        guard let pods = catalog.find(group: "", version: "v1", plural: "pods") else { throw APIError.resourceNotFound() }
        guard let node = body[path: ["target", "name"]]?.stringValue, !node.isEmpty else {
            throw APIError(code: 422, reason: "Invalid", message: "Binding.core \"\(name)\" is invalid: target.name: Required value",
                           details: ["name": .string(name), "kind": "Binding", "causes": [["reason": "FieldValueRequired", "message": "Required value", "field": "target.name"]]])
        }
        let ts = timestamp()
        let outcome = try await store.guaranteedUpdate(key(pods, namespace, name)) { stored -> UpdateDecision<Void> in
            var pod = stored.value
            if pod[path: ["metadata", "deletionTimestamp"]] != nil {
                throw APIError.conflict(pods, name, "pod \(name) is being deleted, cannot be assigned to a host")
            }
            if let current = pod[path: ["spec", "nodeName"]]?.stringValue, !current.isEmpty {
                throw APIError(code: 409, reason: "Conflict",
                               message: "Operation cannot be fulfilled on pods/binding \"\(name)\": pod \(name) is already assigned to node \"\(current)\"",
                               details: ["name": .string(name), "kind": "pods/binding"])
            }
            pod.set(["spec", "nodeName"], .string(node))
            var conditions = (pod[path: ["status", "conditions"]]?.arrayValue ?? []).filter { $0["type"] != "PodScheduled" }
            conditions.append(["type": "PodScheduled", "status": "True", "lastProbeTime": .null, "lastTransitionTime": ts])
            pod.set(["status", "conditions"], .array(conditions.map { $0.droppingNulls() }))
            return .put(pod, ())
        }
        if case .notFound = outcome { throw APIError.notFound(pods, name) }
        return ["kind": "Status", "apiVersion": "v1", "metadata": .emptyObject, "status": "Success", "code": 201]
    }
}
