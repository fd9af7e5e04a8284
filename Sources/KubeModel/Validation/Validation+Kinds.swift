/// Validation of Services, config data, HPAs, Ingresses and immutable fields.
extension Validation {
    static func service(_ obj: JSONValue) -> [FieldError] {
        var errs: [FieldError] = []
        let type = obj[path: ["spec", "type"]]?.stringValue ?? "ClusterIP"
        let types = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"]
        if !types.contains(type) { errs.append(.notSupported("spec.type", .string(type), types)) }
        let ports = obj[path: ["spec", "ports"]]?.arrayValue ?? []
        if ports.isEmpty && type != "ExternalName" && obj[path: ["spec", "clusterIP"]] != "None" {
            errs.append(.required("spec.ports"))
        }
        var seen = Set<String>()
        for (i, p) in ports.enumerated() {
            if let port = p["port"]?.intValue, !(1...65535).contains(port) {
                errs.append(.invalid("spec.ports[\(i)].port", .int(port), "must be between 1 and 65535, inclusive"))
            }
            if let proto = p["protocol"]?.stringValue, !portProtocols.contains(proto) {
                errs.append(.notSupported("spec.ports[\(i)].protocol", .string(proto), portProtocols))
            }
            if let t = p["targetPort"]?.intValue, !(1...65535).contains(t) {
                errs.append(.invalid("spec.ports[\(i)].targetPort", .int(t), "must be between 1 and 65535, inclusive"))
            }
            if let nodePort = p["nodePort"]?.intValue, nodePort != 0 {
                if type == "ClusterIP" {
                    errs.append(.forbidden("spec.ports[\(i)].nodePort", "may not be used when `type` is 'ClusterIP'"))
                } else if !nodePorts.contains(nodePort) {
                    // The node-port allocator's answer (kube-apiserver's default --service-node-port-range).
                    errs.append(.invalid("spec.ports[\(i)].nodePort", .int(nodePort), "provided port is not in the valid range. The range of valid ports is \(nodePorts.lowerBound)-\(nodePorts.upperBound)"))
                }
            }
            if ports.count > 1 && (p["name"]?.stringValue ?? "").isEmpty { errs.append(.required("spec.ports[\(i)].name")) }
            let key = "\(p["port"]?.intValue ?? 0)/\(p["protocol"]?.stringValue ?? "TCP")"
            if !seen.insert(key).inserted { errs.append(.duplicate("spec.ports[\(i)]", p)) }
        }
        if type == "ExternalName", (obj[path: ["spec", "externalName"]]?.stringValue ?? "").isEmpty {
            errs.append(.required("spec.externalName"))
        }
        return errs
    }

    static let portProtocols = ["SCTP", "TCP", "UDP"]
    static let nodePorts: ClosedRange<Int64> = 30000...32767
    /// core.MaxSecretSize: the most data a ConfigMap or a Secret may hold.
    static let maxDataBytes = 1024 * 1024

    static func configData(_ obj: JSONValue, kind: String) -> [FieldError] {
        var errs: [FieldError] = []
        var total = 0
        for field in ["data", "binaryData"] {
            for (k, v) in (obj[field]?.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
                if let p = Naming.configKeyProblem(k) { errs.append(.invalid("\(field)[\(k)]", .string(k), p)) }
                let text = v.stringValue ?? ""
                // Secret data and ConfigMap binaryData count their decoded bytes.
                total += kind == "Secret" || field == "binaryData" ? (Base64.decode(text)?.count ?? text.utf8.count) : text.utf8.count
            }
        }
        if total > maxDataBytes {
            // ValidateConfigMap reports the whole object ("[]"), ValidateSecret the data field.
            errs.append(.tooLong(kind == "Secret" ? "data" : "[]", maxBytes: maxDataBytes))
        }
        return errs
    }

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

    static func ingress(_ obj: JSONValue) -> [FieldError] {
        var errs: [FieldError] = []
        for (i, rule) in (obj[path: ["spec", "rules"]]?.arrayValue ?? []).enumerated() {
            for (j, p) in (rule[path: ["http", "paths"]]?.arrayValue ?? []).enumerated() {
                let path = "spec.rules[\(i)].http.paths[\(j)]"
                let types = ["Exact", "ImplementationSpecific", "Prefix"]
                if let t = p["pathType"]?.stringValue, !types.contains(t) { errs.append(.notSupported("\(path).pathType", .string(t), types)) }
                if let s = p["path"]?.stringValue, !s.hasPrefix("/") { errs.append(.invalid("\(path).path", .string(s), "must be an absolute path")) }
                if p[path: ["backend", "service"]] == nil && p[path: ["backend", "resource"]] == nil {
                    errs.append(.invalid("\(path).backend", p["backend"] ?? .null, "must specify a backend"))
                }
            }
        }
        return errs
    }

    static func immutable(_ obj: JSONValue, old: JSONValue, kind: String) -> [FieldError] {
        var errs: [FieldError] = []
        switch kind {
        case "Deployment", "ReplicaSet":
            if let s = obj[path: ["spec", "selector"]], let o = old[path: ["spec", "selector"]], s != o {
                errs.append(.invalid("spec.selector", s, "field is immutable"))
            }
        case "Service":
            if let ip = old[path: ["spec", "clusterIP"]], let new = obj[path: ["spec", "clusterIP"]], ip != new {
                errs.append(.invalid("spec.clusterIPs[0]", new, "may not change once set"))
            }
        case "ConfigMap", "Secret":
            if old["immutable"] == true {
                if obj["data"] != old["data"] { errs.append(.forbidden("data", "field is immutable when `immutable` is set")) }
                if obj["immutable"] != true { errs.append(.forbidden("immutable", "field is immutable when `immutable` is set")) }
            }
            if kind == "Secret", obj["type"] != old["type"] {
                errs.append(.invalid("type", obj["type"] ?? "", "field is immutable"))
            }
        case "Pod":
            var a = obj["spec"] ?? .emptyObject
            var b = old["spec"] ?? .emptyObject
            // Like ValidatePodUpdate: only images, activeDeadlineSeconds and tolerations may change.
            for c in ["containers", "initContainers"] {
                a[c] = a[c]?.arrayValue.map { .array($0.map { x in var x = x; x["image"] = nil; return x }) }
                b[c] = b[c]?.arrayValue.map { .array($0.map { x in var x = x; x["image"] = nil; return x }) }
            }
            for f in ["activeDeadlineSeconds", "tolerations", "nodeName", "schedulingGates"] { a[f] = nil; b[f] = nil }
            if a != b {
                errs.append(.forbidden("spec", "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)"))
            }
            if let n = old[path: ["spec", "nodeName"]], n != .string(""), obj[path: ["spec", "nodeName"]] != n {
                errs.append(.forbidden("spec.nodeName", "may not be changed once set"))
            }
        default:
            break
        }
        return errs
    }
}
