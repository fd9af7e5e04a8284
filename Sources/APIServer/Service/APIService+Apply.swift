import KubeModel

extension APIService {
    /// PATCH with `application/apply-patch+yaml`: server-side apply, creating the object when it
    /// does not exist, with field ownership and conflicts as kube-apiserver's field manager.
    func apply(
        _ info: ResourceInfo, namespace: String?, name: String, config: JSONValue, subresource: Subresource, options: WriteOptions
    ) async throws -> WriteResult {
        guard case .object = config else {
            throw APIError.badRequest("error decoding YAML: json: cannot unmarshal \(config.typeName) into Go value of type map[string]interface {}")
        }
        if subresource == .none && store.get(key(info, namespace, name)) == nil {
            let object = try applied(config, live: nil, info, subresource, options)
            try checkName(object, name: name, namespace: namespace, info)
            do {
                return try await create(info, namespace: namespace, body: object, options: options, ownership: .applied)
            } catch let e as APIError where e.reason == "AlreadyExists" {
                // Lost a race with another writer: apply to what it wrote.
            }
        }
        return try await modify(info, namespace: namespace, name: name, subresource: subresource, options: options, ownership: .applied) { current in
            let object = try self.applied(config, live: current, info, subresource, options)
            try self.checkName(object, name: name, namespace: namespace, info)
            if let rv = config[path: ["metadata", "resourceVersion"]]?.stringValue, rv != current[path: ["metadata", "resourceVersion"]]?.stringValue {
                throw APIError.modified(info, name)
            }
            return object
        }
    }

    /// The patched object must still name the URL's object (patch.go's checkName).
    private func checkName(_ object: JSONValue, name: String, namespace: String?, _ info: ResourceInfo) throws {
        let objName = object[path: ["metadata", "name"]]?.stringValue ?? ""
        if objName != name {
            throw APIError.badRequest("the name of the object (\(objName)) does not match the name on the URL (\(name))")
        }
        if info.namespaced, let namespace, !namespace.isEmpty, let objNS = object[path: ["metadata", "namespace"]]?.stringValue, !objNS.isEmpty, objNS != namespace {
            throw APIError.badRequest("the namespace of the object (\(objNS)) does not match the namespace on the URL (\(namespace))")
        }
    }
}
