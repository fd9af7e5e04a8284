import KubeModel

/// Converts between a resource's served versions and its storage version. Only HPAs are served
/// in two versions (stored as autoscaling/v2, served as v1 too).
enum Conversion {
    /// True when stored objects are already in this resource's served form.
    static func isIdentity(_ info: ResourceInfo) -> Bool {
        !(info.kind == "HorizontalPodAutoscaler" && info.version == "v1")
    }

    static func toVersion(_ obj: JSONValue, _ info: ResourceInfo) -> JSONValue {
        var o = obj
        if info.kind == "HorizontalPodAutoscaler" && info.version == "v1" { o = hpaV2toV1(o) }
        o["apiVersion"] = .string(info.groupVersion)
        o["kind"] = .string(info.kind)
        return o
    }

    static func toStorage(_ obj: JSONValue, _ info: ResourceInfo) -> JSONValue {
        var o = obj
        if info.kind == "HorizontalPodAutoscaler" && info.version == "v1" {
            o = hpaV1toV2(o)
            o["apiVersion"] = "autoscaling/v2"
        }
        return o
    }

    static func hpaV1toV2(_ obj: JSONValue) -> JSONValue {
        var o = obj
        if let spec = obj["spec"] {
            var s = spec
            s["targetCPUUtilizationPercentage"] = nil
            if let t = spec["targetCPUUtilizationPercentage"] {
                s["metrics"] = [["type": "Resource", "resource": ["name": "cpu", "target": ["type": "Utilization", "averageUtilization": t]]]]
            }
            o["spec"] = s
        }
        if let status = obj["status"] {
            var s = status
            s["currentCPUUtilizationPercentage"] = nil
            if let c = status["currentCPUUtilizationPercentage"] {
                s["currentMetrics"] = [["type": "Resource", "resource": ["name": "cpu", "current": ["averageUtilization": c]]]]
            }
            o["status"] = s
        }
        return o
    }

    static func hpaV2toV1(_ obj: JSONValue) -> JSONValue {
        var o = obj
        if let spec = obj["spec"] {
            var s: JSONValue = .emptyObject
            for f in ["scaleTargetRef", "minReplicas", "maxReplicas"] { s[f] = spec[f] }
            for m in spec["metrics"]?.arrayValue ?? [] where m[path: ["resource", "name"]] == "cpu" {
                s["targetCPUUtilizationPercentage"] = m[path: ["resource", "target", "averageUtilization"]]
            }
            o["spec"] = s
        }
        if let status = obj["status"] {
            var s: JSONValue = .emptyObject
            for f in ["observedGeneration", "lastScaleTime", "currentReplicas", "desiredReplicas"] { s[f] = status[f] }
            for m in status["currentMetrics"]?.arrayValue ?? [] where m[path: ["resource", "name"]] == "cpu" {
                s["currentCPUUtilizationPercentage"] = m[path: ["resource", "current", "averageUtilization"]]
            }
            if s["desiredReplicas"] == nil { s["desiredReplicas"] = 0 }
            if s["currentReplicas"] == nil { s["currentReplicas"] = 0 }
            o["status"] = s
        }
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
