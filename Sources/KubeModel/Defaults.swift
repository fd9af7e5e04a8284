/// The API server's defaulting (SetDefaults_* in k8s.io/kubernetes/pkg/apis/*/v1), applied on
/// every write before validation. Each kind's own defaults sit in its file under `Kinds/`; here
/// are the pod template's, which Pods, Deployments and ReplicaSets share.
public enum Defaults {
    /// The defaults of a built-in kind by name (the server reads `info.definition.defaults`).
    public static func apply(kind: String, _ obj: inout JSONValue) {
        Kinds.named(kind)?.defaults?(&obj)
    }

    static func setIfMissing(_ obj: inout JSONValue, _ path: [String], _ value: JSONValue) {
        if obj[path: path] == nil { obj.set(path, value) }
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
}
