extension KindDefinition {
    /// autoscaling/v2 HorizontalPodAutoscaler, also served as autoscaling/v1 (converted to and
    /// from the stored v2 form).
    public static let horizontalPodAutoscaler = KindDefinition(
        schema: .horizontalPodAutoscaler,
        group: "autoscaling",
        versions: [Version("v2", schemaType: "HorizontalPodAutoscaler"), Version("v1", schemaType: "HorizontalPodAutoscalerV1", conversion: .hpaV1)],
        kind: "HorizontalPodAutoscaler", plural: "horizontalpodautoscalers", shortNames: ["hpa"], categories: ["all"],
        subresources: ["status"], printer: hpaPrinter, hasGeneration: true, defaults: Defaults.hpa, validate: Validation.hpa)

    static let hpaPrinter = TablePrinter(columns: [
        TableColumn("Name"), TableColumn("Reference"), TableColumn("Targets"), TableColumn("MinPods", "integer"),
        TableColumn("MaxPods", "integer"), TableColumn("Replicas", "integer"), TableColumn("Age"),
    ]) { o, t in
        let ref = "\(o[path: ["spec", "scaleTargetRef", "kind"]]?.stringValue ?? "")/\(o[path: ["spec", "scaleTargetRef", "name"]]?.stringValue ?? "")"
        var targets: [String] = []
        var metrics = o[path: ["spec", "metrics"]]?.arrayValue ?? []
        if let cpu = o[path: ["spec", "targetCPUUtilizationPercentage"]] {
            metrics = [["type": "Resource", "resource": ["name": "cpu", "target": ["type": "Utilization", "averageUtilization": cpu]]]]
        }
        let current = o[path: ["status", "currentMetrics"]]?.arrayValue ?? []
        for m in metrics {
            guard m["type"] == "Resource", let res = m[path: ["resource", "name"]]?.stringValue else {
                targets.append("<unknown>/<unknown>")
                continue
            }
            let target = m[path: ["resource", "target"]] ?? .emptyObject
            let cur = current.first { $0[path: ["resource", "name"]]?.stringValue == res }
            if let util = target["averageUtilization"]?.intValue {
                var now = "<unknown>"
                if let c = cur?[path: ["resource", "current", "averageUtilization"]]?.intValue { now = "\(c)%" }
                else if let c = o[path: ["status", "currentCPUUtilizationPercentage"]]?.intValue, res == "cpu" { now = "\(c)%" }
                targets.append("\(res): \(now)/\(util)%")
            } else {
                let want = target["averageValue"]?.stringValue ?? target["value"]?.stringValue ?? "<unknown>"
                let now = cur?[path: ["resource", "current", "averageValue"]]?.stringValue ?? "<unknown>"
                targets.append("\(res): \(now)/\(want)")
            }
        }
        let shown = targets.isEmpty ? "<none>" : targets.prefix(2).joined(separator: ", ") + (targets.count > 2 ? " + \(targets.count - 2) more..." : "")
        return [TableCells.name(o), .string(ref), .string(shown), .int(o[path: ["spec", "minReplicas"]]?.intValue ?? 1),
                TableCells.int(o, "spec.maxReplicas"), TableCells.int(o, "status.currentReplicas"), t.age(o)]
    }
}

extension Defaults {
    /// autoscaling/v2's SetDefaults_HorizontalPodAutoscaler, on the stored (v2) form: an HPA
    /// without metrics targets 80% CPU, so `kubectl autoscale` without `--cpu-percent` scales on CPU.
    static func hpa(_ obj: inout JSONValue) {
        setIfMissing(&obj, ["spec", "minReplicas"], 1)
        if var spec = obj["spec"], spec["behavior"] != nil {
            BehaviorDefaults.apply(toSpec: &spec)
            obj["spec"] = spec
        }
        if (obj[path: ["spec", "metrics"]]?.arrayValue ?? []).isEmpty {
            obj.set(["spec", "metrics"], [[
                "type": "Resource",
                "resource": ["name": "cpu", "target": ["type": "Utilization", "averageUtilization": .int(defaultCPUUtilization)]],
            ]])
        }
    }

    /// autoscaling.DefaultCPUUtilization.
    public static let defaultCPUUtilization: Int64 = 80
}

extension Validation {
    static func hpa(_ obj: JSONValue) -> [FieldError] {
        var errs: [FieldError] = []
        let minR = obj[path: ["spec", "minReplicas"]]?.intValue ?? 1
        if minR < 1 { errs.append(.invalid("spec.minReplicas", .int(minR), "must be greater than or equal to 1")) }
        if let maxR = obj[path: ["spec", "maxReplicas"]]?.intValue {
            if maxR < minR { errs.append(.invalid("spec.maxReplicas", .int(maxR), "must be greater than or equal to `minReplicas`")) }
        }
        if let t = obj[path: ["spec", "targetCPUUtilizationPercentage"]]?.intValue, t < 1 {
            errs.append(.invalid("spec.targetCPUUtilizationPercentage", .int(t), "must be greater than or equal to 1"))
        }
        for (i, m) in (obj[path: ["spec", "metrics"]]?.arrayValue ?? []).enumerated() {
            let t = m["type"]?.stringValue ?? ""
            let types = ["ContainerResource", "External", "Object", "Pods", "Resource"]
            if !types.contains(t) { errs.append(.notSupported("spec.metrics[\(i)].type", .string(t), types)) }
            if t == "Resource", m["resource"] == nil { errs.append(.required("spec.metrics[\(i)].resource", "must populate information for the given metric source")) }
        }
        return errs
    }
}

extension KindDefinition.Conversion {
    /// autoscaling/v1 HPAs: a CPU target percentage is a v2 Resource metric.
    static let hpaV1 = KindDefinition.Conversion(toStorage: hpaV1toV2, fromStorage: hpaV2toV1)

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
}
