/// Semantic validation of objects (ValidateDeployment & co. in k8s.io/kubernetes/pkg/apis/*/validation),
/// run after defaulting. `old` is the stored object on update, for immutable-field checks.
public enum Validation {
    public static func validate(_ obj: JSONValue, old: JSONValue?, info: ResourceInfo) -> [FieldError] {
        var errs = metadata(obj, info: info)
        switch info.kind {
        case "Deployment", "ReplicaSet": errs += workload(obj, kind: info.kind)
        case "Pod": errs += podSpec(obj["spec"] ?? .emptyObject, path: "spec", restartPolicies: ["Always", "OnFailure", "Never"])
        case "Service": errs += service(obj)
        case "ConfigMap", "Secret": errs += configData(obj, kind: info.kind)
        case "HorizontalPodAutoscaler": errs += hpa(obj)
        case "Ingress": errs += ingress(obj)
        default: break
        }
        if let old { errs += immutable(obj, old: old, kind: info.kind) }
        return errs
    }

    static func metadata(_ obj: JSONValue, info: ResourceInfo) -> [FieldError] {
        var errs: [FieldError] = []
        let name = obj[path: ["metadata", "name"]]?.stringValue ?? ""
        if name.isEmpty {
            errs.append(.required("metadata.name", "name or generateName is required"))
        } else {
            let problem: String?
            switch info.kind {
            case "Namespace": problem = Naming.dns1123LabelProblem(name)
            case "Service": problem = Naming.dns1035LabelProblem(name)
            default: problem = Naming.dns1123SubdomainProblem(name)
            }
            if let problem { errs.append(.invalid("metadata.name", .string(name), problem)) }
        }
        for (k, v) in obj[path: ["metadata", "labels"]]?.objectValue ?? [:] {
            if let p = Naming.qualifiedNameProblem(k) { errs.append(.invalid("metadata.labels", .string(k), p)) }
            if let p = Naming.labelValueProblem(v.stringValue ?? "") { errs.append(.invalid("metadata.labels", v, p)) }
        }
        let annotations = obj[path: ["metadata", "annotations"]]?.objectValue ?? [:]
        for k in annotations.keys {
            if let p = Naming.qualifiedNameProblem(k.lowercased()) { errs.append(.invalid("metadata.annotations", .string(k), p)) }
        }
        // apimachinery's TotalAnnotationSizeLimitB: keys and values together.
        let annotationBytes = annotations.reduce(0) { $0 + $1.key.utf8.count + ($1.value.stringValue?.utf8.count ?? 0) }
        if annotationBytes > 256 * 1024 {
            errs.append(FieldError(kind: .tooLong, field: "metadata.annotations", value: nil, detail: "may not be more than 262144 bytes"))
        }
        return errs
    }

    static func nonNegative(_ obj: JSONValue, _ path: [String], _ errs: inout [FieldError]) {
        if let v = obj[path: path]?.intValue, v < 0 {
            errs.append(.invalid(path.joined(separator: "."), .int(v), "must be greater than or equal to 0"))
        }
    }

    static func workload(_ obj: JSONValue, kind: String) -> [FieldError] {
        var errs: [FieldError] = []
        nonNegative(obj, ["spec", "replicas"], &errs)
        nonNegative(obj, ["spec", "minReadySeconds"], &errs)
        nonNegative(obj, ["spec", "revisionHistoryLimit"], &errs)
        let selectorJSON = obj[path: ["spec", "selector"]]
        if let selectorJSON {
            do {
                let selector = try LabelSelector.from(selectorJSON)
                if selector.isEmpty {
                    errs.append(.invalid("spec.selector", selectorJSON, "empty selector is invalid for deployment"))
                } else if let labels = obj[path: ["spec", "template", "metadata", "labels"]] ?? Optional(.emptyObject),
                    !selector.matches(labelsOf(["metadata": ["labels": labels]]))
                {
                    errs.append(.invalid("spec.template.metadata.labels", labels, "`selector` does not match template `labels`"))
                }
            } catch {
                errs.append(.invalid("spec.selector", selectorJSON, error.message))
            }
        }
        if let template = obj[path: ["spec", "template"]] {
            errs += podSpec(template["spec"] ?? .emptyObject, path: "spec.template.spec", restartPolicies: ["Always"])
        } else if kind == "Deployment" {
            errs.append(.required("spec.template"))
        }
        if kind == "Deployment" { errs += strategy(obj) }
        if let p = obj[path: ["spec", "progressDeadlineSeconds"]]?.intValue {
            nonNegative(obj, ["spec", "progressDeadlineSeconds"], &errs)
            if p <= obj[path: ["spec", "minReadySeconds"]]?.intValue ?? 0 {
                errs.append(.invalid("spec.progressDeadlineSeconds", .int(p), "must be greater than minReadySeconds"))
            }
        }
        return errs
    }

    static func strategy(_ obj: JSONValue) -> [FieldError] {
        var errs: [FieldError] = []
        let type = obj[path: ["spec", "strategy", "type"]]?.stringValue ?? "RollingUpdate"
        if type != "RollingUpdate" && type != "Recreate" {
            errs.append(.notSupported("spec.strategy.type", .string(type), ["Recreate", "RollingUpdate"]))
        }
        guard let ru = obj[path: ["spec", "strategy", "rollingUpdate"]] else { return errs }
        if type == "Recreate" {
            errs.append(.forbidden("spec.strategy.rollingUpdate", "may not be specified when strategy `type` is 'Recreate'"))
            return errs
        }
        var zero = 0
        for f in ["maxUnavailable", "maxSurge"] {
            guard let v = ru[f] else { continue }
            let path = "spec.strategy.rollingUpdate.\(f)"
            switch IntOrPercent.parse(v) {
            case nil: errs.append(.invalid(path, v, "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"))
            case .int(let i)? where i < 0, .percent(let i)? where i < 0:
                errs.append(.invalid(path, v, "must be greater than or equal to 0"))
            case .percent(let i)? where i > 100 && f == "maxUnavailable":
                errs.append(.invalid(path, v, "must not be greater than 100%"))
            case .int(0)?, .percent(0)?: zero += 1
            default: break
            }
        }
        if zero == 2 {
            errs.append(.invalid("spec.strategy.rollingUpdate.maxUnavailable", ru["maxUnavailable"] ?? 0, "may not be 0 when `maxSurge` is 0"))
        }
        return errs
    }

    static func podSpec(_ spec: JSONValue, path: String, restartPolicies: [String]) -> [FieldError] {
        var errs: [FieldError] = []
        let containers = spec["containers"]?.arrayValue ?? []
        if containers.isEmpty { errs.append(.required("\(path).containers")) }
        var names = Set<String>()
        for (list, items) in [("containers", containers), ("initContainers", spec["initContainers"]?.arrayValue ?? [])] {
            for (i, c) in items.enumerated() {
                let cp = "\(path).\(list)[\(i)]"
                let name = c["name"]?.stringValue ?? ""
                if name.isEmpty {
                    errs.append(.required("\(cp).name"))
                } else if let p = Naming.dns1123LabelProblem(name) {
                    errs.append(.invalid("\(cp).name", .string(name), p))
                } else if !names.insert(name).inserted {
                    errs.append(.duplicate("\(cp).name", .string(name)))
                }
                if (c["image"]?.stringValue ?? "").isEmpty { errs.append(.required("\(cp).image")) }
                for (j, p) in (c["ports"]?.arrayValue ?? []).enumerated() {
                    if let port = p["containerPort"]?.intValue, !(1...65535).contains(port) {
                        errs.append(.invalid("\(cp).ports[\(j)].containerPort", .int(port), "must be between 1 and 65535, inclusive"))
                    }
                    if let proto = p["protocol"]?.stringValue, !["TCP", "UDP", "SCTP"].contains(proto) {
                        errs.append(.notSupported("\(cp).ports[\(j)].protocol", .string(proto), ["SCTP", "TCP", "UDP"]))
                    }
                }
                for (j, e) in (c["env"]?.arrayValue ?? []).enumerated() where (e["name"]?.stringValue ?? "").isEmpty {
                    errs.append(.required("\(cp).env[\(j)].name"))
                }
                if let policy = c["imagePullPolicy"]?.stringValue, !["Always", "IfNotPresent", "Never"].contains(policy) {
                    errs.append(.notSupported("\(cp).imagePullPolicy", .string(policy), ["Always", "IfNotPresent", "Never"]))
                }
                for kind in ["limits", "requests"] {
                    for (r, q) in c[path: ["resources", kind]]?.objectValue ?? [:] {
                        if let v = quantityValue(q), v < 0 {
                            errs.append(.invalid("\(cp).resources.\(kind)[\(r)]", q, "must be greater than or equal to 0"))
                        }
                    }
                }
                if let l = c[path: ["resources", "limits", "cpu"]].flatMap(quantityValue),
                    let r = c[path: ["resources", "requests", "cpu"]].flatMap(quantityValue), r > l
                {
                    errs.append(.invalid("\(cp).resources.requests", c[path: ["resources", "requests", "cpu"]] ?? .null, "must be less than or equal to cpu limit of \(c[path: ["resources", "limits", "cpu"]]?.stringValue ?? "\(l)")"))
                }
                if let l = c[path: ["resources", "limits", "memory"]].flatMap(quantityValue),
                    let r = c[path: ["resources", "requests", "memory"]].flatMap(quantityValue), r > l
                {
                    errs.append(.invalid("\(cp).resources.requests", c[path: ["resources", "requests", "memory"]] ?? .null, "must be less than or equal to memory limit of \(c[path: ["resources", "limits", "memory"]]?.stringValue ?? "\(l)")"))
                }
            }
        }
        if let rp = spec["restartPolicy"]?.stringValue, !restartPolicies.contains(rp) {
            errs.append(.notSupported("\(path).restartPolicy", .string(rp), restartPolicies))
        }
        if let node = spec["nodeName"]?.stringValue, !node.isEmpty, let p = Naming.dns1123SubdomainProblem(node) {
            errs.append(.invalid("\(path).nodeName", .string(node), p))
        }
        return errs
    }

    /// What kube-apiserver accepts but answers with a `Warning` header (GetWarningsForPodTemplate).
    public static func warnings(_ obj: JSONValue, info: ResourceInfo) -> [String] {
        let specPath: [String]
        switch info.kind {
        case "Pod": specPath = ["spec"]
        case "Deployment", "ReplicaSet": specPath = ["spec", "template", "spec"]
        default: return []
        }
        var out: [String] = []
        if let grace = obj[path: specPath + ["terminationGracePeriodSeconds"]]?.intValue, grace < 0 {
            out.append("\(specPath.joined(separator: ".")).terminationGracePeriodSeconds: must be >= 0; negative values are invalid and will be treated as 1")
        }
        return out
    }

    static func quantityValue(_ v: JSONValue) -> Double? {
        if let s = v.stringValue { return Quantity(s)?.value }
        return v.doubleValue
    }
}

/// An int-or-percent value of maxSurge/maxUnavailable.
public enum IntOrPercent: Sendable, Equatable {
    case int(Int64)
    case percent(Int64)

    public static func parse(_ v: JSONValue) -> IntOrPercent? {
        if let i = v.intValue { return .int(i) }
        guard let s = v.stringValue else { return nil }
        if s.hasSuffix("%"), let i = Int64(s.dropLast()) { return .percent(i) }
        if let i = Int64(s) { return .int(i) }
        return nil
    }

    /// Scaled against `total`, rounding up (surge) or down (unavailable) as Kubernetes does.
    public func value(total: Int64, roundUp: Bool) -> Int64 {
        switch self {
        case .int(let i): return i
        case .percent(let p):
            let x = p * total
            return roundUp ? (x + 99) / 100 : x / 100
        }
    }
}
