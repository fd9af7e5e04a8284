import Foundation

extension KindDefinition {
    /// core/v1 Pod. Defaulting of its spec is shared with the workload templates
    /// (`Defaults.podSpec`); the service account and toleration admission run on create.
    public static let pod = KindDefinition(
        schema: .pod,
        group: "", versions: ["v1"], kind: "Pod", plural: "pods", shortNames: ["po"], categories: ["all"],
        subresources: ["status", "binding", "log", "eviction", "proxy", "exec", "attach", "portforward"],
        fieldSelectors: ["spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName", "status.phase",
                         "status.podIP", "status.nominatedNodeName", "spec.hostNetwork"].map { SelectableField($0) },
        printer: podPrinter, hasGeneration: true, defaults: Defaults.pod,
        validate: { Validation.podSpec($0["spec"] ?? .emptyObject, path: "spec", restartPolicies: ["Always", "OnFailure", "Never"]) },
        validateUpdate: Validation.podUpdate, podSpecPath: ["spec"],
        hooks: KindHooks(
            admitCreate: KindHooks.defaultTolerationSeconds, warnsOnUpdate: false,
            prepareForCreate: { pod, context in try await KindHooks.admitServiceAccount(&pod, context) },
            beforeDelete: KindHooks.podGracefulDelete))

    static let podPrinter = TablePrinter(columns: [
        TableColumn("Name"), TableColumn("Ready"), TableColumn("Status"), TableColumn("Restarts", "string"), TableColumn("Age"),
        TableColumn("IP", wide: true), TableColumn("Node", wide: true), TableColumn("Nominated Node", wide: true),
        TableColumn("Readiness Gates", wide: true),
    ]) { o, t in
        let total = o[path: ["spec", "containers"]]?.arrayValue?.count ?? 0
        var reason = o[path: ["status", "phase"]]?.stringValue ?? ""
        if let r = o[path: ["status", "reason"]]?.stringValue, !r.isEmpty { reason = r }
        var ready = 0
        var restarts: Int64 = 0
        var lastRestart: String?
        var initializing = false
        let inits = o[path: ["status", "initContainerStatuses"]]?.arrayValue ?? []
        for (i, c) in inits.enumerated() {
            restarts += c["restartCount"]?.intValue ?? 0
            if let code = c[path: ["state", "terminated", "exitCode"]]?.intValue, code == 0 { continue }
            initializing = true
            if let r = c[path: ["state", "terminated", "reason"]]?.stringValue, !r.isEmpty { reason = "Init:" + r }
            else if let r = c[path: ["state", "waiting", "reason"]]?.stringValue, !r.isEmpty, r != "PodInitializing" { reason = "Init:" + r }
            else { reason = "Init:\(i)/\(inits.count)" }
            break
        }
        if !initializing {
            var hasRunning = false
            for c in (o[path: ["status", "containerStatuses"]]?.arrayValue ?? []).reversed() {
                restarts += c["restartCount"]?.intValue ?? 0
                if let f = c[path: ["lastState", "terminated", "finishedAt"]]?.stringValue { lastRestart = max(lastRestart ?? f, f) }
                if let r = c[path: ["state", "waiting", "reason"]]?.stringValue, !r.isEmpty {
                    reason = r
                } else if let r = c[path: ["state", "terminated", "reason"]]?.stringValue, !r.isEmpty {
                    reason = r
                } else if let term = c[path: ["state", "terminated"]] {
                    if let sig = term["signal"]?.intValue, sig != 0 { reason = "Signal:\(sig)" }
                    else { reason = "ExitCode:\(term["exitCode"]?.intValue ?? 0)" }
                } else if c["ready"] == true, c[path: ["state", "running"]] != nil {
                    hasRunning = true
                    ready += 1
                }
            }
            if reason == "Completed" && hasRunning { reason = "Running" }
        }
        if o[path: ["metadata", "deletionTimestamp"]] != nil {
            reason = o[path: ["status", "reason"]]?.stringValue == "NodeLost" ? "Unknown" : "Terminating"
        }
        var restartCell: JSONValue = .int(restarts)
        if restarts > 0, let lastRestart, case .string(let ago) = t.age(lastRestart) {
            restartCell = .string("\(restarts) (\(ago) ago)")
        } else {
            restartCell = .string(String(restarts))
        }
        let gates = o[path: ["spec", "readinessGates"]]?.arrayValue ?? []
        var gateCell: JSONValue = "<none>"
        if !gates.isEmpty {
            let conds = o[path: ["status", "conditions"]]?.arrayValue ?? []
            let ok = gates.filter { g in conds.contains { $0["type"] == g["conditionType"] && $0["status"] == "True" } }.count
            gateCell = .string("\(ok)/\(gates.count)")
        }
        return [TableCells.name(o), .string("\(ready)/\(total)"), .string(reason), restartCell, t.age(o),
                TableCells.str(o, "status.podIP"), TableCells.str(o, "spec.nodeName"), TableCells.str(o, "status.nominatedNodeName"), gateCell]
    }
}

extension Defaults {
    static func pod(_ obj: inout JSONValue) {
        if var spec = obj["spec"] { podSpec(&spec); obj["spec"] = spec }
        if obj[path: ["status", "phase"]] == nil { obj.set(["status", "phase"], "Pending") }
        if obj[path: ["status", "qosClass"]] == nil, let spec = obj["spec"] {
            obj.set(["status", "qosClass"], .string(qosClass(spec)))
        }
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
}

extension Validation {
    /// ValidatePodUpdate: only images, activeDeadlineSeconds and tolerations may change, and a
    /// node name once set stays.
    static func podUpdate(_ obj: JSONValue, old: JSONValue) -> [FieldError] {
        var errs: [FieldError] = []
        var a = obj["spec"] ?? .emptyObject
        var b = old["spec"] ?? .emptyObject
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
        return errs
    }
}

extension KindHooks {
    /// The DefaultTolerationSeconds admission plugin: a new pod tolerates its node being
    /// not-ready or unreachable for 300 s before it is evicted, unless it says otherwise.
    static func defaultTolerationSeconds(_ pod: inout JSONValue) {
        let existing = Toleration.of(pod: pod)
        var tolerations = pod[path: ["spec", "tolerations"]]?.arrayValue ?? []
        for key in [Taint.notReady, Taint.unreachable] where !existing.tolerate(Taint(key: key, effect: "NoExecute")) {
            tolerations.append(Toleration(key: key, op: "Exists", effect: "NoExecute", seconds: 300).json)
        }
        if tolerations.count > existing.count { pod.set(["spec", "tolerations"], .array(tolerations)) }
    }

    /// The ServiceAccount admission plugin, on pod creation: a pod without a service account
    /// runs as `default`; the account must exist (the serviceaccounts controller makes `default`
    /// in each namespace, so it is looked for a few times as kube-apiserver does), and its image
    /// pull secrets become the pod's when the pod names none. Without the account: 403.
    static func admitServiceAccount(_ pod: inout JSONValue, _ context: any KindHookContext) async throws {
        guard pod[path: ["metadata", "annotations", "kubernetes.io/config.mirror"]] == nil,
            context.serves(group: "", plural: "serviceaccounts")
        else { return }
        let namespace = pod[path: ["metadata", "namespace"]]?.stringValue ?? ""
        var name = pod[path: ["spec", "serviceAccountName"]]?.stringValue ?? ""
        if name.isEmpty { name = "default" }
        var account = context.object(group: "", plural: "serviceaccounts", namespace: namespace, name: name)
        for _ in 1..<(name == "default" ? 10 : 1) where account == nil {
            try await Task.sleep(for: .milliseconds(Int.random(in: 100..<200)))
            account = context.object(group: "", plural: "serviceaccounts", namespace: namespace, name: name)
        }
        guard let account else {
            let podName = pod[path: ["metadata", "name"]]?.stringValue ?? ""
            throw KindHookError.forbidden("pods \"\(podName)\" is forbidden: error looking up service account \(namespace)/\(name): serviceaccount \"\(name)\" not found")
        }
        pod.set(["spec", "serviceAccountName"], .string(name))
        pod.set(["spec", "serviceAccount"], .string(name))
        let pullSecrets = account["imagePullSecrets"]?.arrayValue ?? []
        if (pod[path: ["spec", "imagePullSecrets"]]?.arrayValue ?? []).isEmpty, !pullSecrets.isEmpty {
            pod.set(["spec", "imagePullSecrets"], .array(pullSecrets.map { ["name": $0["name"] ?? ""] }))
        }
    }

    /// The pod strategy's CheckGracefulDelete: a running pod bound to a node is marked with its
    /// grace period for the kubelet to stop it; an unbound or finished one goes at once.
    static func podGracefulDelete(_ pod: JSONValue, _ request: DeleteRequest) -> DeleteStep {
        var grace = request.gracePeriodSeconds ?? pod[path: ["spec", "terminationGracePeriodSeconds"]]?.intValue ?? 30
        if grace < 0 { grace = 1 }  // a negative period is treated as 1
        let bound = !(pod[path: ["spec", "nodeName"]]?.stringValue ?? "").isEmpty
        let done = ["Succeeded", "Failed"].contains(pod[path: ["status", "phase"]]?.stringValue ?? "")
        if bound && !done && grace > 0 {
            let current = pod[path: ["metadata", "deletionGracePeriodSeconds"]]?.intValue
            if pod[path: ["metadata", "deletionTimestamp"]] != nil, let current, current <= grace { return .unchanged }
            var pod = pod
            pod.set(["metadata", "deletionTimestamp"], .string(Timestamp.format(request.now.addingTimeInterval(Double(grace)))))
            pod.set(["metadata", "deletionGracePeriodSeconds"], .int(grace))
            return .put(pod)
        }
        let finalizers = (pod[path: ["metadata", "finalizers"]]?.arrayValue ?? []).compactMap(\.stringValue)
        return finalizers.isEmpty ? .delete : .proceed
    }
}
