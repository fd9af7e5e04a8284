import KubeModel

/// Cascading deletion through ownerReferences (background, foreground, orphan) and namespace
/// cleanup, done by the API server itself so that `kplane apiserver` alone behaves like a
/// cluster with its garbage collector and namespace controller running.
extension APIService {
    static let namespacedResources: [ResourceInfo] = {
        var seen = Set<String>()
        return ResourceCatalog.all.filter { $0.namespaced && $0.kind != "Binding" && seen.insert($0.storageKey).inserted }
    }()

    static let storageInfos: [ResourceInfo] = {
        var seen = Set<String>()
        return ResourceCatalog.all.filter { $0.kind != "Binding" && seen.insert($0.storageKey).inserted }
    }()

    func dependents(of owner: JSONValue) -> [(ResourceInfo, JSONValue)] {
        guard let uid = owner[path: ["metadata", "uid"]]?.stringValue else { return [] }
        return store.dependents(ofUID: uid).compactMap { key, obj in
            Self.storageInfos.first { $0.storageKey == key.resource }.map { ($0, obj.value) }
        }
    }

    func hasDependents(_ owner: JSONValue) -> Bool { !dependents(of: owner).isEmpty }

    /// Runs after an object is gone: frees its ClusterIP, deletes its dependents in the
    /// background, and finishes a terminating namespace that became empty.
    func afterDelete(_ info: ResourceInfo, _ obj: JSONValue) async {
        if info.kind == "Service", let ip = obj[path: ["spec", "clusterIP"]]?.stringValue { clusterIPs.release(ip) }
        let deps = dependents(of: obj)
        if !deps.isEmpty {
            Task {
                for (depInfo, dep) in deps { await self.deleteQuietly(depInfo, dep, policy: "Background") }
            }
        }
        if let ns = obj[path: ["metadata", "namespace"]]?.stringValue, !ns.isEmpty,
            store.get(ObjectKey(resource: "namespaces", namespace: "", name: ns))?.value[path: ["metadata", "deletionTimestamp"]] != nil
        {
            await finalizeNamespaceIfEmpty(ns)
        }
    }

    func deleteQuietly(_ info: ResourceInfo, _ obj: JSONValue, policy: String) async {
        var options = DeleteOptions()
        options.propagationPolicy = policy
        options.preconditionUID = obj[path: ["metadata", "uid"]]?.stringValue
        _ = try? await delete(info, namespace: obj[path: ["metadata", "namespace"]]?.stringValue,
                              name: obj[path: ["metadata", "name"]]?.stringValue ?? "", options: options)
    }

    /// Completes an `orphan` or `foregroundDeletion` finalizer, then lets the owner go.
    func finishCascade(_ info: ResourceInfo, _ owner: JSONValue) async {
        let finalizers = (owner[path: ["metadata", "finalizers"]]?.arrayValue ?? []).compactMap(\.stringValue)
        let uid = owner[path: ["metadata", "uid"]]
        let deps = dependents(of: owner)
        if finalizers.contains("orphan") {
            for (depInfo, dep) in deps {
                let k = key(depInfo, dep[path: ["metadata", "namespace"]]?.stringValue, dep[path: ["metadata", "name"]]?.stringValue ?? "")
                _ = try? await store.write(k) { stored in
                    guard var o = stored?.value else { return nil }
                    let refs = (o[path: ["metadata", "ownerReferences"]]?.arrayValue ?? []).filter { $0["uid"] != uid }
                    o.set(["metadata", "ownerReferences"], refs.isEmpty ? nil : .array(refs))
                    return .put(o)
                }
            }
            await removeFinalizer(info, owner, "orphan")
        } else if finalizers.contains("foregroundDeletion") {
            for (depInfo, dep) in deps { await deleteQuietly(depInfo, dep, policy: "Foreground") }
            await removeFinalizer(info, owner, "foregroundDeletion")
        }
    }

    func removeFinalizer(_ info: ResourceInfo, _ obj: JSONValue, _ finalizer: String) async {
        let k = key(info, obj[path: ["metadata", "namespace"]]?.stringValue, obj[path: ["metadata", "name"]]?.stringValue ?? "")
        let event = try? await store.write(k) { stored in
            guard var o = stored?.value else { return nil }
            let rest = (o[path: ["metadata", "finalizers"]]?.arrayValue ?? []).filter { $0 != .string(finalizer) }
            if rest.isEmpty && o[path: ["metadata", "deletionTimestamp"]] != nil { return .delete }
            o.set(["metadata", "finalizers"], rest.isEmpty ? nil : .array(rest))
            return .put(o)
        }
        if let event, event.type == .deleted { await afterDelete(info, event.object) }
    }

    /// Deletes everything in a terminating namespace, then the namespace once it is empty.
    func cleanNamespace(_ ns: String) async {
        for info in Self.namespacedResources {
            for o in store.list(resource: info.storageKey, namespace: ns).items {
                await deleteQuietly(info, o.value, policy: "Background")
            }
        }
        await finalizeNamespaceIfEmpty(ns)
    }

    func finalizeNamespaceIfEmpty(_ ns: String) async {
        for info in Self.namespacedResources where !store.list(resource: info.storageKey, namespace: ns).items.isEmpty { return }
        _ = try? await store.write(ObjectKey(resource: "namespaces", namespace: "", name: ns)) { stored in
            guard let o = stored?.value, o[path: ["metadata", "deletionTimestamp"]] != nil else { return nil }
            return .delete
        }
    }
}
