/// Semantic validation of objects (ValidateDeployment & co. in k8s.io/kubernetes/pkg/apis/*/validation),
/// run after defaulting. `old` is the stored object on update, for immutable-field checks. Each
/// kind's own rules sit in its file under `Kinds/`; here are metadata's and the pod template's.
public enum Validation {
    /// Metadata checks shared by every kind, then the kind's own rules from its definition.
    public static func validate(_ obj: JSONValue, old: JSONValue?, info: ResourceInfo) -> [FieldError] {
        let kind = info.definition
        var errs = metadata(obj, info: info)
        if let validate = kind.validate { errs += validate(obj) }
        if let old, let validateUpdate = kind.validateUpdate { errs += validateUpdate(obj, old) }
        return errs
    }

    static func metadata(_ obj: JSONValue, info: ResourceInfo) -> [FieldError] {
        var errs: [FieldError] = []
        let name = obj[path: ["metadata", "name"]]?.stringValue ?? ""
        if name.isEmpty {
            errs.append(.required("metadata.name", "name or generateName is required"))
        } else {
            if let problem = info.definition.nameProblem(name) { errs.append(.invalid("metadata.name", .string(name), problem)) }
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
        errs += SimulatedUsage.problems(in: annotations) + ScaleToZero.problems(in: annotations)
        return errs
    }

    static func nonNegative(_ obj: JSONValue, _ path: [String], _ errs: inout [FieldError]) {
        if let v = obj[path: path]?.intValue, v < 0 {
            errs.append(.invalid(path.joined(separator: "."), .int(v), "must be greater than or equal to 0"))
        }
    }

    /// The rules Deployments and ReplicaSets share: counts, a selector that matches the template,
    /// the template's pod spec. `strategyErrors` are the Deployment's, in the place it reports them.
    static func workload(_ obj: JSONValue, templateRequired: Bool, strategyErrors: [FieldError] = []) -> [FieldError] {
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
        } else if templateRequired {
            errs.append(.required("spec.template"))
        }
        errs += strategyErrors
        if let p = obj[path: ["spec", "progressDeadlineSeconds"]]?.intValue {
            nonNegative(obj, ["spec", "progressDeadlineSeconds"], &errs)
            if p <= obj[path: ["spec", "minReadySeconds"]]?.intValue ?? 0 {
                errs.append(.invalid("spec.progressDeadlineSeconds", .int(p), "must be greater than minReadySeconds"))
            }
        }
        return errs
    }

    /// A workload's selector may not change.
    static func immutableSelector(_ obj: JSONValue, old: JSONValue) -> [FieldError] {
        if let s = obj[path: ["spec", "selector"]], let o = old[path: ["spec", "selector"]], s != o {
            return [.invalid("spec.selector", s, "field is immutable")]
        }
        return []
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
        errs += volumes(spec, path: path)
        if let rp = spec["restartPolicy"]?.stringValue, !restartPolicies.contains(rp) {
            errs.append(.notSupported("\(path).restartPolicy", .string(rp), restartPolicies))
        }
        if let node = spec["nodeName"]?.stringValue, !node.isEmpty, let p = Naming.dns1123SubdomainProblem(node) {
            errs.append(.invalid("\(path).nodeName", .string(node), p))
        }
        return errs
    }

    /// ValidateVolumes, for what the kubelet writes: the file modes of ConfigMap, Secret and
    /// downward API volumes and their items, and the items' paths (relative, never `..`).
    static func volumes(_ spec: JSONValue, path: String) -> [FieldError] {
        var errs: [FieldError] = []
        let modeMessage = "must be a number between 0 and 0777 (octal), both inclusive"
        for (i, v) in Pod.Spec(spec).volumes.enumerated() {
            // Each source's default mode, and its items' paths and modes.
            var sources: [(String, Int64?, [(path: String, mode: Int64?)])] = []
            if let s = v.configMap { sources.append(("configMap", s.defaultMode, (s.items ?? []).map { ($0.path, $0.mode) })) }
            if let s = v.secret { sources.append(("secret", s.defaultMode, (s.items ?? []).map { ($0.path, $0.mode) })) }
            if let s = v.downwardAPI { sources.append(("downwardAPI", s.defaultMode, s.items.map { ($0.path, $0.mode) })) }
            for (source, defaultMode, items) in sources {
                let sp = "\(path).volumes[\(i)].\(source)"
                if let m = defaultMode, !(0...0o777).contains(m) { errs.append(.invalid("\(sp).defaultMode", .int(m), modeMessage)) }
                for (j, item) in items.enumerated() {
                    if let m = item.mode, !(0...0o777).contains(m) { errs.append(.invalid("\(sp).items[\(j)].mode", .int(m), modeMessage)) }
                    if item.path.isEmpty {
                        errs.append(.required("\(sp).items[\(j)].path"))
                    } else if item.path.hasPrefix("/") {
                        errs.append(.invalid("\(sp).items[\(j)].path", .string(item.path), "must be a relative path"))
                    } else if item.path.split(separator: "/").contains("..") {
                        errs.append(.invalid("\(sp).items[\(j)].path", .string(item.path), "must not contain '..'"))
                    }
                }
            }
        }
        return errs
    }

    /// What kube-apiserver accepts but answers with a `Warning` header (GetWarningsForPodTemplate).
    public static func warnings(_ obj: JSONValue, info: ResourceInfo) -> [String] {
        guard let specPath = info.definition.podSpecPath else { return [] }
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
