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
            for c in inits { container(c, level: 1) }
        }
        write(1, "Containers:")
        for c in spec.containers { container(c, level: 1) }
        volumes(spec.volumes, level: 1)
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
    mutating func container(_ c: Container, level: Int, nameIndent: String = " ", status: ContainerStatus? = nil) {
        write(level, "\(nameIndent)\(c.name):")
        let l = level + 1
        if let status { write(l, "Container ID:\t\(status.containerID ?? "")") }
        write(l, "Image:\t\(c.image)")
        if let status { write(l, "Image ID:\t\(status.imageID)") }
        let ports = c.ports
        if ports.isEmpty {
            write(l, "Port:\t<none>")
            write(l, "Host Port:\t<none>")
        } else {
            func fmt(_ number: (ContainerPort) -> Int64?) -> String {
                ports.map { "\(number($0) ?? 0)/\($0.protocol ?? "TCP")" }.joined(separator: ", ")
            }
            write(l, "Port\(ports.count > 1 ? "s" : ""):\t\(fmt { $0.containerPort })")
            write(l, "Host Port\(ports.count > 1 ? "s" : ""):\t\(fmt { $0.hostPort })")
        }
        let command = c.command
        if !command.isEmpty {
            write(l, "Command:")
            for a in command { write(l + 1, a) }
        }
        let args = c.args
        if !args.isEmpty {
            write(l, "Args:")
            for a in args { write(l + 1, a) }
        }
        if let status { containerState(status, level: l) }
        for (title, r) in [("Limits:", c.resources.limitsMap), ("Requests:", c.resources.requestsMap)] where !r.isEmpty {
            write(l, title)
            for k in r.keys.sorted() { write(l + 1, "\(k):\t\(JSONPath.text(r[k] ?? .null))") }
        }
        for (title, probe) in [("Liveness", c.livenessProbe), ("Readiness", c.readinessProbe), ("Startup", c.startupProbe)] {
            if let probe { write(l, "\(title):\t\(Self.probe(probe))") }
        }
        let envFrom = c.envFrom
        if !envFrom.isEmpty {
            write(l, "Environment Variables from:")
            for e in envFrom {
                let (kind, ref): (String, KeySelector?) = e.configMapRef != nil ? ("ConfigMap", e.configMapRef) : ("Secret", e.secretRef)
                let prefix = e.prefix.map { " with prefix '\($0)'" } ?? ""
                write(l + 1, "\(ref?.name ?? "")\t\(kind)\(prefix)\tOptional: \(ref?.optional ?? false)")
            }
        }
        let env = c.env
        if env.isEmpty {
            write(l, "Environment:\t<none>")
        } else {
            write(l, "Environment:")
            for e in env { write(l + 1, "\(e.name):\t\(Self.envValue(e.json, container: c.json))") }
        }
        let mounts = c.volumeMounts
        if mounts.isEmpty {
            write(l, "Mounts:\t<none>")
        } else {
            write(l, "Mounts:")
            for m in mounts {
                let sub = m.subPath.map { ",path=\"\($0)\"" } ?? ""
                write(l + 1, "\(m.mountPath) from \(m.name) (\(m.readOnly ? "ro" : "rw")\(sub))")
            }
        }
    }

    /// State, Last State, Ready and Restart Count, as kubectl's describeContainerState.
    mutating func containerState(_ status: ContainerStatus, level l: Int) {
        state("State", status.state, level: l)
        if status.lastState?.terminated != nil { state("Last State", status.lastState, level: l) }
        write(l, "Ready:\t\(status.ready ? "True" : "False")")
        write(l, "Restart Count:\t\(status.restartCount)")
    }

    mutating func state(_ title: String, _ state: ContainerState?, level l: Int) {
        if let r = state?.running {
            write(l, "\(title):\tRunning")
            write(l + 1, "Started:\t\(Self.date(r.startedAt))")
        } else if let t = state?.terminated {
            write(l, "\(title):\tTerminated")
            if let reason = t.reason, !reason.isEmpty { write(l + 1, "Reason:\t\(reason)") }
            if let message = t.message, !message.isEmpty { write(l + 1, "Message:\t\(message)") }
            write(l + 1, "Exit Code:\t\(t.exitCode)")
            if let signal = t.signal, signal > 0 { write(l + 1, "Signal:\t\(signal)") }
            write(l + 1, "Started:\t\(Self.date(t.startedAt))")
            write(l + 1, "Finished:\t\(Self.date(t.finishedAt))")
        } else {
            write(l, "\(title):\tWaiting")
            if let reason = state?.waiting?.reason, !reason.isEmpty { write(l + 1, "Reason:\t\(reason)") }
        }
    }

    static func envValue(_ e: JSONValue, container c: JSONValue) -> String {
        let e = EnvVar(e), c = Container(c)
        if let v = e.value { return v }
        guard let from = e.valueFrom else { return "" }
        if let s = from.secretKeyRef {
            return "<set to the key '\(s.key)' in secret '\(s.name)'>\tOptional: \(s.optional)"
        }
        if let c = from.configMapKeyRef {
            return "<set to the key '\(c.key)' of config map '\(c.name)'>\tOptional: \(c.optional)"
        }
        if let f = from.fieldRef {
            return " (\(f.apiVersion):\(f.fieldPath))"
        }
        if let r = from.resourceFieldRef {
            var value = resourceValue(r, c)
            if value == "0" && (r.resource == "limits.cpu" || r.resource == "limits.memory") { value = "node allocatable" }
            return "\(value) (\(r.resource))"
        }
        return ""
    }

    /// The container's own request or limit in the selector's divisor, rounded up, as
    /// kubectl's ExtractContainerResourceValue (CPU in millicores); a missing one is 0.
    static func resourceValue(_ r: ResourceFieldSelector, _ c: Container) -> String {
        let parts = r.resource.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2, parts[0] == "limits" || parts[0] == "requests" else { return "" }
        let quantities = parts[0] == "limits" ? c.resources.limitQuantities : c.resources.requestQuantities
        let amount = quantities[name: parts[1]]?.value ?? 0
        var divisor = r.divisor?.value ?? 0
        if divisor == 0 { divisor = 1 }
        let scale = parts[1] == "cpu" ? 1000.0 : 1.0
        return String(Int64(clampingValue: ((amount * scale).rounded(.up) / (divisor * scale).rounded(.up)).rounded(.up)))
    }

    static func probe(_ p: Probe) -> String {
        var action = "unknown"
        if let h = p.httpGet {
            action = "http-get \(h.scheme.lowercased())://\(h.host):\(h.port?.description ?? "")\(h.path)"
        } else if let t = p.tcpSocket {
            action = "tcp-socket \(t.host):\(t.port?.description ?? "")"
        } else if let command = p.execCommand {
            action = "exec [" + command.joined(separator: " ") + "]"
        }
        return "\(action) delay=\(p.initialDelaySeconds ?? 0)s timeout=\(p.timeoutSeconds ?? 1)s period=\(p.periodSeconds ?? 10)s "
            + "#success=\(p.successThreshold ?? 1) #failure=\(p.failureThreshold ?? 3)"
    }

    mutating func volumes(_ volumes: [Volume], level: Int) {
        guard !volumes.isEmpty else {
            write(level, "Volumes:\t<none>")
            return
        }
        write(level, "Volumes:")
        for v in volumes {
            write(level + 1, "\(v.name):")
            let l = level + 2
            if let cm = v.configMap {
                write(l, "Type:\tConfigMap (a volume populated by a ConfigMap)")
                write(l, "Name:\t\(cm.name)")
                write(l, "Optional:\t\(cm.optional)")
            } else if let s = v.secret {
                write(l, "Type:\tSecret (a volume populated by a Secret)")
                write(l, "SecretName:\t\(s.secretName)")
                write(l, "Optional:\t\(s.optional)")
            } else if let e = v.emptyDir {
                write(l, "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)")
                write(l, "Medium:\t\(e.medium)")
                write(l, "SizeLimit:\t\(e.sizeLimit?.text ?? "<unset>")")
            } else {
                write(l, "Type:\t\(v.sourceField ?? "unknown")")
            }
        }
    }
}
