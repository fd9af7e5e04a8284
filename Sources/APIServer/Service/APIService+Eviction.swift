import KubeModel

extension APIService {
    /// `pods/eviction`: a polite delete, as `kubectl drain` asks for one. kplane serves no
    /// PodDisruptionBudgets, so no budget can refuse it; the pod is deleted with the eviction's
    /// delete options (its own grace period unless they say otherwise).
    public func evict(namespace: String, name: String, body: JSONValue) async throws -> JSONValue {
        guard let pods = catalog.find(group: "", version: "v1", plural: "pods") else { throw APIError.resourceNotFound() }
        guard body["kind"] == nil || body["kind"] == "Eviction" else {
            throw APIError.badRequest("the object provided is unrecognized (must be of type Eviction)")
        }
        if let named = body[path: ["metadata", "name"]]?.stringValue, !named.isEmpty, named != name {
            throw APIError.badRequest("name in URL does not match name in Eviction object")
        }
        let pod = try get(pods, namespace: namespace, name: name)
        // A pod already on its way out counts as evicted.
        if pod.isDeleting { return Self.success(201) }
        var options = DeleteOptions(json: body["deleteOptions"] ?? .emptyObject)
        options.preconditionUID = options.preconditionUID ?? pod.uid
        _ = try await delete(pods, namespace: namespace, name: name, options: options)
        return Self.success(201)
    }

    static func success(_ code: Int64) -> JSONValue {
        ["kind": "Status", "apiVersion": "v1", "metadata": .emptyObject, "status": "Success", "code": .int(code)]
    }
}
