import KubeModel

/// What the API server knows of ownership: whether an object has dependents (to decide if a
/// foreground or orphan delete needs its finalizer), and the clean-up after an object is gone.
/// Cascades themselves are the garbage collector's work (`Controllers/GarbageCollector`).
extension APIService {
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

    /// Runs after an object is gone: a Service's ClusterIP goes back to the pool.
    func afterDelete(_ info: ResourceInfo, _ obj: JSONValue) async {
        if info.kind == "Service", let ip = obj[path: ["spec", "clusterIP"]]?.stringValue { clusterIPs.release(ip) }
    }
}
