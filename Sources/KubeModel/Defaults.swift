/// The API server's defaulting (SetDefaults_* in k8s.io/kubernetes/pkg/apis/*/v1), applied on
/// every write before validation.
public enum Defaults {
    public static func apply(kind: String, _ obj: inout JSONValue) {
        switch kind {
        case "Deployment": deployment(&obj)
        case "ReplicaSet": replicaSet(&obj)
        case "Pod":
            if var spec = obj["spec"] { podSpec(&spec); obj["spec"] = spec }
            if obj[path: ["status", "phase"]] == nil { obj.set(["status", "phase"], "Pending") }
            if obj[path: ["status", "qosClass"]] == nil, let spec = obj["spec"] {
                obj.set(["status", "qosClass"], .string(qosClass(spec)))
            }
        case "Service": service(&obj)
        case "Secret": secret(&obj)
        case "Namespace":
            // The `kubernetes` finalizer is set at creation (the registry's PrepareForCreate), not
            // by defaulting: once the namespace controller removes it, it stays removed.
            if obj[path: ["metadata", "creationTimestamp"]] == nil && obj[path: ["spec", "finalizers"]] == nil {
                obj.set(["spec", "finalizers"], ["kubernetes"])
            }
            if obj[path: ["status", "phase"]] == nil { obj.set(["status", "phase"], "Active") }
        case "HorizontalPodAutoscaler": hpa(&obj)
        case "Ingress":
            // IngressStatus.loadBalancer is a struct: Go always writes it.
            setIfMissing(&obj, ["status", "loadBalancer"], .emptyObject)
        default:
            break
        }
    }

    static func setIfMissing(_ obj: inout JSONValue, _ path: [String], _ value: JSONValue) {
        if obj[path: path] == nil { obj.set(path, value) }
    }

    static func deployment(_ obj: inout JSONValue) {
        setIfMissing(&obj, ["spec", "replicas"], 1)
        setIfMissing(&obj, ["spec", "strategy", "type"], "RollingUpdate")
        if obj[path: ["spec", "strategy", "type"]] == "RollingUpdate" {
            setIfMissing(&obj, ["spec", "strategy", "rollingUpdate", "maxUnavailable"], "25%")
            setIfMissing(&obj, ["spec", "strategy", "rollingUpdate", "maxSurge"], "25%")
        }
        setIfMissing(&obj, ["spec", "revisionHistoryLimit"], 10)
        setIfMissing(&obj, ["spec", "progressDeadlineSeconds"], 600)
        template(&obj)
    }

    static func replicaSet(_ obj: inout JSONValue) {
        setIfMissing(&obj, ["spec", "replicas"], 1)
        template(&obj)
    }

    static func template(_ obj: inout JSONValue) {
        guard var spec = obj[path: ["spec", "template", "spec"]] else { return }
        podSpec(&spec)
        obj.set(["spec", "template", "spec"], spec)
    }

    public static func podSpec(_ spec: inout JSONValue) {
        setIfMissing(&spec, ["restartPolicy"], "Always")
        setIfMissing(&spec, ["terminationGracePeriodSeconds"], 30)
        setIfMissing(&spec, ["dnsPolicy"], "ClusterFirst")
        setIfMissing(&spec, ["securityContext"], .emptyObject)
        setIfMissing(&spec, ["schedulerName"], "default-scheduler")
        serviceAccountAlias(&spec)
        for list in ["containers", "initContainers"] {
            guard let items = spec[list]?.arrayValue else { continue }
            spec[list] = .array(items.map(container))
        }
    }

    /// `serviceAccount` is the deprecated alias of `serviceAccountName`: it is read when the
    /// new field is empty and always served equal to it, as the v1 PodSpec conversion does.
    static func serviceAccountAlias(_ spec: inout JSONValue) {
        if (spec["serviceAccountName"]?.stringValue ?? "").isEmpty, let alias = spec["serviceAccount"]?.stringValue, !alias.isEmpty {
            spec["serviceAccountName"] = .string(alias)
        }
        let name = spec["serviceAccountName"]?.stringValue ?? ""
        spec["serviceAccount"] = name.isEmpty ? nil : .string(name)
    }

    static func container(_ c: JSONValue) -> JSONValue {
        var c = c
        if c["imagePullPolicy"] == nil, let image = c["image"]?.stringValue {
            let afterSlash = image.split(separator: "/").last.map(String.init) ?? image
            let tag = afterSlash.contains("@") ? "digest" : (afterSlash.split(separator: ":").dropFirst().first.map(String.init) ?? "latest")
            c["imagePullPolicy"] = tag == "latest" ? "Always" : "IfNotPresent"
        }
        // A limit without a request means the request equals the limit (SetDefaults_Container's
        // resource defaulting), which is what the scheduler then reserves.
        if let limits = c[path: ["resources", "limits"]]?.objectValue {
            for (name, limit) in limits where c[path: ["resources", "requests", name]] == nil {
                c.set(["resources", "requests", name], limit)
            }
        }
        // Container.resources is a struct, not a pointer: Go writes `resources: {}` whether or not
        // the manifest had it, so a template hashes and compares the same either way.
        setIfMissing(&c, ["resources"], .emptyObject)
        setIfMissing(&c, ["terminationMessagePath"], "/dev/termination-log")
        setIfMissing(&c, ["terminationMessagePolicy"], "File")
        if let ports = c["ports"]?.arrayValue {
            c["ports"] = .array(ports.map { p in
                var p = p
                setIfMissing(&p, ["protocol"], "TCP")
                return p
            })
        }
        if let env = c["env"]?.arrayValue {
            c["env"] = .array(env.map { e in
                var e = e
                if e[path: ["valueFrom", "fieldRef"]] != nil { setIfMissing(&e, ["valueFrom", "fieldRef", "apiVersion"], "v1") }
                return e
            })
        }
        for probe in ["livenessProbe", "readinessProbe", "startupProbe"] where c[probe] != nil {
            var p = c[probe] ?? .emptyObject
            setIfMissing(&p, ["timeoutSeconds"], 1)
            setIfMissing(&p, ["periodSeconds"], 10)
            setIfMissing(&p, ["successThreshold"], 1)
            setIfMissing(&p, ["failureThreshold"], 3)
            if p["httpGet"] != nil { setIfMissing(&p, ["httpGet", "scheme"], "HTTP") }
            c[probe] = p
        }
        return c
    }

    static func qosClass(_ spec: JSONValue) -> String {
        var anyRequest = false
        var guaranteed = true
        for c in spec["containers"]?.arrayValue ?? [] {
            let requests = c[path: ["resources", "requests"]]?.objectValue ?? [:]
            let limits = c[path: ["resources", "limits"]]?.objectValue ?? [:]
            if !requests.isEmpty || !limits.isEmpty { anyRequest = true }
            for r in ["cpu", "memory"] {
                guard let l = limits[r] else { guaranteed = false; continue }
                if let q = requests[r], q != l { guaranteed = false }
            }
        }
        if !anyRequest { return "BestEffort" }
        return guaranteed ? "Guaranteed" : "Burstable"
    }

    /// autoscaling/v2's SetDefaults_HorizontalPodAutoscaler, on the stored (v2) form: an HPA
    /// without metrics targets 80% CPU, so `kubectl autoscale` without `--cpu-percent` scales on CPU.
    static func hpa(_ obj: inout JSONValue) {
        setIfMissing(&obj, ["spec", "minReplicas"], 1)
        if (obj[path: ["spec", "metrics"]]?.arrayValue ?? []).isEmpty {
            obj.set(["spec", "metrics"], [[
                "type": "Resource",
                "resource": ["name": "cpu", "target": ["type": "Utilization", "averageUtilization": .int(defaultCPUUtilization)]],
            ]])
        }
    }

    /// autoscaling.DefaultCPUUtilization.
    public static let defaultCPUUtilization: Int64 = 80

    static func service(_ obj: inout JSONValue) {
        // ServiceStatus.loadBalancer is a struct: Go always writes it, even on a new Service.
        setIfMissing(&obj, ["status", "loadBalancer"], .emptyObject)
        setIfMissing(&obj, ["spec", "type"], "ClusterIP")
        setIfMissing(&obj, ["spec", "sessionAffinity"], "None")
        if obj[path: ["spec", "type"]] != "ExternalName" {
            setIfMissing(&obj, ["spec", "ipFamilies"], ["IPv4"])
            setIfMissing(&obj, ["spec", "ipFamilyPolicy"], "SingleStack")
            setIfMissing(&obj, ["spec", "internalTrafficPolicy"], "Cluster")
        }
        if let ports = obj[path: ["spec", "ports"]]?.arrayValue {
            obj.set(["spec", "ports"], .array(ports.map { p in
                var p = p
                setIfMissing(&p, ["protocol"], "TCP")
                if p["targetPort"] == nil, let port = p["port"] { p["targetPort"] = port }
                return p
            }))
        }
    }

    /// Folds `stringData` into base64 `data`, as the API server does on every write.
    static func secret(_ obj: inout JSONValue) {
        if obj["type"] == nil || obj["type"] == "" { obj["type"] = "Opaque" }
        guard let stringData = obj["stringData"]?.objectValue else { return }
        var data = obj["data"]?.objectValue ?? [:]
        for (k, v) in stringData { data[k] = .string(Base64.encode(Array((v.stringValue ?? "").utf8))) }
        obj["data"] = .object(data)
        obj["stringData"] = nil
    }
}
