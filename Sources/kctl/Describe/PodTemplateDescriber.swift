import KubeModel

/// The pod template part of Deployment, ReplicaSet and Pod descriptions.
extension DescribeWriter {
    mutating func podTemplate(_ json: JSONValue) {
        let template = PodTemplateSpec(json), spec = template.spec
        write(0, "Pod Template:")
        map(1, "Labels", template.metadata.labels)
        let annotations = template.metadata.annotations
        if !annotations.isEmpty { map(1, "Annotations", annotations, separator: ": ") }
        if let sa = spec.serviceAccountName, !sa.isEmpty { write(1, "Service Account:\t\(sa)") }
        let inits = spec.initContainers
        if !inits.isEmpty {
            write(1, "Init Containers:")
            for c in inits { container(c.json, level: 1) }
        }
        write(1, "Containers:")
        for c in spec.containers { container(c.json, level: 1) }
        volumes(spec.volumes.map(\.json), level: 1)
        let selectors = spec.nodeSelector
        write(1, "Node-Selectors:\t" + (selectors.isEmpty ? "<none>" : selectors.keys.sorted().map { "\($0)=\(selectors[$0] ?? "")" }.joined(separator: ",")))
        let tolerations = spec.tolerations
        write(1, "Tolerations:\t" + (tolerations.isEmpty ? "<none>" : tolerations.map(Self.toleration).joined(separator: "\n\t")))
    }

    /// `key=value:Effect op=Exists for 300s`, as kubectl's printTolerationsMultiline writes one.
    static func toleration(_ t: Toleration) -> String {
        let key = t.key, value = t.value, effect = t.effect
        var s = key
        if !value.isEmpty { s += "=\(value)" }
        if !effect.isEmpty { s += ":\(effect)" }
        if t.op == "Exists" && value.isEmpty { s += key.isEmpty && effect.isEmpty ? "op=Exists" : " op=Exists" }
        if let secs = t.seconds { s += " for \(secs)s" }
        return s
    }

    /// A container; in pod templates its name sits one space deeper than in pods.
    /// With the container's `status` (pods), its ids and state come in kubectl's places.
    mutating func container(_ c: JSONValue, level: Int, nameIndent: String = " ", status: JSONValue? = nil) {
        write(level, "\(nameIndent)\(c["name"]?.stringValue ?? ""):")
        let l = level + 1
        if let status { write(l, "Container ID:\t\(status["containerID"]?.stringValue ?? "")") }
        write(l, "Image:\t\(c["image"]?.stringValue ?? "")")
        if let status { write(l, "Image ID:\t\(status["imageID"]?.stringValue ?? "")") }
        let ports = c["ports"]?.arrayValue ?? []
        if ports.isEmpty {
            write(l, "Port:\t<none>")
            write(l, "Host Port:\t<none>")
        } else {
            func fmt(_ key: String) -> String {
                ports.map { "\($0[key]?.intValue ?? 0)/\($0["protocol"]?.stringValue ?? "TCP")" }.joined(separator: ", ")
            }
            write(l, "Port\(ports.count > 1 ? "s" : ""):\t\(fmt("containerPort"))")
            write(l, "Host Port\(ports.count > 1 ? "s" : ""):\t\(fmt("hostPort"))")
        }
        if let cmd = c["command"]?.arrayValue, !cmd.isEmpty {
            write(l, "Command:")
            for a in cmd { write(l + 1, a.stringValue ?? "") }
        }
        if let args = c["args"]?.arrayValue, !args.isEmpty {
            write(l, "Args:")
            for a in args { write(l + 1, a.stringValue ?? "") }
        }
        if let status { containerState(status, level: l) }
        for kind in ["limits", "requests"] {
            guard let r = c[path: ["resources", kind]]?.objectValue, !r.isEmpty else { continue }
            write(l, kind == "limits" ? "Limits:" : "Requests:")
            for k in r.keys.sorted() { write(l + 1, "\(k):\t\(JSONPath.text(r[k] ?? .null))") }
        }
        for (title, key) in [("Liveness", "livenessProbe"), ("Readiness", "readinessProbe"), ("Startup", "startupProbe")] {
            if let p = c[key] { write(l, "\(title):\t\(Self.probe(p))") }
        }
        let envFrom = c["envFrom"]?.arrayValue ?? []
        if !envFrom.isEmpty {
            write(l, "Environment Variables from:")
            for e in envFrom {
                let (kind, ref) = e["configMapRef"] != nil ? ("ConfigMap", e["configMapRef"]) : ("Secret", e["secretRef"])
                let prefix = e["prefix"]?.stringValue.map { " with prefix '\($0)'" } ?? ""
                write(l + 1, "\(ref?["name"]?.stringValue ?? "")\t\(kind)\(prefix)\tOptional: \(ref?["optional"]?.boolValue ?? false)")
            }
        }
        let env = c["env"]?.arrayValue ?? []
        if env.isEmpty {
            write(l, "Environment:\t<none>")
        } else {
            write(l, "Environment:")
            for e in env { write(l + 1, "\(e["name"]?.stringValue ?? ""):\t\(Self.envValue(e, container: c))") }
        }
        let mounts = c["volumeMounts"]?.arrayValue ?? []
        if mounts.isEmpty {
            write(l, "Mounts:\t<none>")
        } else {
            write(l, "Mounts:")
            for m in mounts {
                let ro = m["readOnly"] == true ? "ro" : "rw"
                let sub = m["subPath"]?.stringValue.map { ",path=\"\($0)\"" } ?? ""
                write(l + 1, "\(m["mountPath"]?.stringValue ?? "") from \(m["name"]?.stringValue ?? "") (\(ro)\(sub))")
            }
        }
    }

    /// State, Last State, Ready and Restart Count, as kubectl's describeContainerState.
    mutating func containerState(_ status: JSONValue, level l: Int) {
        state("State", status["state"], level: l)
        if status[path: ["lastState", "terminated"]] != nil { state("Last State", status["lastState"], level: l) }
        write(l, "Ready:\t\(status["ready"]?.boolValue == true ? "True" : "False")")
        write(l, "Restart Count:\t\(status["restartCount"]?.intValue ?? 0)")
    }

    mutating func state(_ title: String, _ state: JSONValue?, level l: Int) {
        if let r = state?["running"] {
            write(l, "\(title):\tRunning")
            write(l + 1, "Started:\t\(Self.date(r["startedAt"]?.stringValue))")
        } else if let t = state?["terminated"] {
            write(l, "\(title):\tTerminated")
            if let reason = t["reason"]?.stringValue, !reason.isEmpty { write(l + 1, "Reason:\t\(reason)") }
            if let message = t["message"]?.stringValue, !message.isEmpty { write(l + 1, "Message:\t\(message)") }
            write(l + 1, "Exit Code:\t\(t["exitCode"]?.intValue ?? 0)")
            if let signal = t["signal"]?.intValue, signal > 0 { write(l + 1, "Signal:\t\(signal)") }
            write(l + 1, "Started:\t\(Self.date(t["startedAt"]?.stringValue))")
            write(l + 1, "Finished:\t\(Self.date(t["finishedAt"]?.stringValue))")
        } else {
            write(l, "\(title):\tWaiting")
            if let reason = state?[path: ["waiting", "reason"]]?.stringValue, !reason.isEmpty { write(l + 1, "Reason:\t\(reason)") }
        }
    }

    static func envValue(_ e: JSONValue, container c: JSONValue) -> String {
        if let v = e["value"]?.stringValue { return v }
        guard let from = e["valueFrom"] else { return "" }
        if let s = from["secretKeyRef"] {
            return "<set to the key '\(s["key"]?.stringValue ?? "")' in secret '\(s["name"]?.stringValue ?? "")'>\tOptional: \(s["optional"]?.boolValue ?? false)"
        }
        if let c = from["configMapKeyRef"] {
            return "<set to the key '\(c["key"]?.stringValue ?? "")' of config map '\(c["name"]?.stringValue ?? "")'>\tOptional: \(c["optional"]?.boolValue ?? false)"
        }
        if let f = from["fieldRef"] {
            return " (\(f["apiVersion"]?.stringValue ?? "v1"):\(f["fieldPath"]?.stringValue ?? ""))"
        }
        if let r = from["resourceFieldRef"] {
            let resource = r["resource"]?.stringValue ?? ""
            var value = resourceValue(r, c)
            if value == "0" && (resource == "limits.cpu" || resource == "limits.memory") { value = "node allocatable" }
            return "\(value) (\(resource))"
        }
        return ""
    }

    /// The container's own request or limit in the selector's divisor, rounded up, as
    /// kubectl's ExtractContainerResourceValue (CPU in millicores); a missing one is 0.
    static func resourceValue(_ r: JSONValue, _ c: JSONValue) -> String {
        let parts = (r["resource"]?.stringValue ?? "").split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2, parts[0] == "limits" || parts[0] == "requests" else { return "" }
        let amount = c[path: ["resources", parts[0], parts[1]]].flatMap { Quantity(JSONPath.text($0)) }?.value ?? 0
        var divisor = r["divisor"].flatMap { Quantity(JSONPath.text($0)) }?.value ?? 0
        if divisor == 0 { divisor = 1 }
        let scale = parts[1] == "cpu" ? 1000.0 : 1.0
        return String(Int64(((amount * scale).rounded(.up) / (divisor * scale).rounded(.up)).rounded(.up)))
    }

    static func probe(_ p: JSONValue) -> String {
        var action = "unknown"
        if let h = p["httpGet"] {
            let scheme = (h["scheme"]?.stringValue ?? "HTTP").lowercased()
            action = "http-get \(scheme)://\(h["host"]?.stringValue ?? ""):\(JSONPath.text(h["port"] ?? ""))\(h["path"]?.stringValue ?? "")"
        } else if let t = p["tcpSocket"] {
            action = "tcp-socket \(t["host"]?.stringValue ?? ""):\(JSONPath.text(t["port"] ?? ""))"
        } else if let e = p["exec"] {
            action = "exec [" + (e["command"]?.arrayValue ?? []).compactMap(\.stringValue).joined(separator: " ") + "]"
        }
        func n(_ k: String, _ d: Int64) -> Int64 { p[k]?.intValue ?? d }
        return "\(action) delay=\(n("initialDelaySeconds", 0))s timeout=\(n("timeoutSeconds", 1))s period=\(n("periodSeconds", 10))s #success=\(n("successThreshold", 1)) #failure=\(n("failureThreshold", 3))"
    }

    mutating func volumes(_ volumes: [JSONValue], level: Int) {
        guard !volumes.isEmpty else {
            write(level, "Volumes:\t<none>")
            return
        }
        write(level, "Volumes:")
        for v in volumes {
            write(level + 1, "\(v["name"]?.stringValue ?? ""):")
            let l = level + 2
            if let cm = v["configMap"] {
                write(l, "Type:\tConfigMap (a volume populated by a ConfigMap)")
                write(l, "Name:\t\(cm["name"]?.stringValue ?? "")")
                write(l, "Optional:\t\(cm["optional"]?.boolValue ?? false)")
            } else if let s = v["secret"] {
                write(l, "Type:\tSecret (a volume populated by a Secret)")
                write(l, "SecretName:\t\(s["secretName"]?.stringValue ?? "")")
                write(l, "Optional:\t\(s["optional"]?.boolValue ?? false)")
            } else if let e = v["emptyDir"] {
                write(l, "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)")
                write(l, "Medium:\t\(e["medium"]?.stringValue ?? "")")
                write(l, "SizeLimit:\t\(e["sizeLimit"].map(JSONPath.text) ?? "<unset>")")
            } else {
                write(l, "Type:\t\((v.objectValue ?? [:]).keys.filter { $0 != "name" }.sorted().first ?? "unknown")")
            }
        }
    }
}
