import KubeModel

/// What the API server knows of ownership: whether an object has dependents (to decide if a
/// foreground or orphan delete needs its finalizer), and the clean-up after an object is gone.
/// Cascades themselves are the garbage collector's work (`Controllers/GarbageCollector`).
extension APIService {
    func dependents(of owner: JSONValue) -> [(ResourceInfo, JSONValue)] {
        guard let uid = owner[path: ["metadata", "uid"]]?.stringValue else { return [] }
        return store.dependents(ofUID: uid).compactMap { key, obj in
            catalog.stored(key.resource).map { ($0, obj.value) }
        }
    }

    func hasDependents(_ owner: JSONValue) -> Bool { !dependents(of: owner).isEmpty }

    /// Runs after an object is gone: the kind gives back what it held (a Service's ClusterIP).
    func afterDelete(_ info: ResourceInfo, _ obj: JSONValue) async {
        info.definition.hooks.afterDelete?(obj, HookContext(self))
    }
}
