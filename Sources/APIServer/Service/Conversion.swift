import KubeModel

/// Converts between a resource's served versions and its storage version, as each version of
/// its kind says (`KindDefinition.Version.conversion`; HPAs are stored as autoscaling/v2 and
/// served as v1 too).
enum Conversion {
    /// True when stored objects are already in this resource's served form.
    static func isIdentity(_ info: ResourceInfo) -> Bool { info.conversion == nil }

    static func toVersion(_ obj: JSONValue, _ info: ResourceInfo) -> JSONValue {
        var o = obj
        if let c = info.conversion { o = c.fromStorage(o) }
        o["apiVersion"] = .string(info.groupVersion)
        o["kind"] = .string(info.kind)
        return o
    }

    static func toStorage(_ obj: JSONValue, _ info: ResourceInfo) -> JSONValue {
        guard let c = info.conversion, let storage = info.definition.versions.first else { return obj }
        var o = c.toStorage(obj)
        o["apiVersion"] = .string(info.group.isEmpty ? storage.name : "\(info.group)/\(storage.name)")
        return o
    }

    /// The autoscaling/v1 Scale view of a Deployment or ReplicaSet.
    static func scale(of obj: JSONValue) -> JSONValue {
        var meta: JSONValue = .emptyObject
        for f in ["name", "namespace", "uid", "resourceVersion", "creationTimestamp"] { meta[f] = obj[path: ["metadata", f]] }
        let selector = (try? LabelSelector.from(obj[path: ["spec", "selector"]]))?.string ?? ""
        return [
            "kind": "Scale", "apiVersion": "autoscaling/v1", "metadata": meta,
            "spec": ["replicas": obj[path: ["spec", "replicas"]] ?? 0],
            "status": ["replicas": obj[path: ["status", "replicas"]] ?? 0, "selector": .string(selector)],
        ]
    }
}
