import KubeModel

/// Printers whose cells need status logic: pods, nodes, ingresses, HPAs, events.
extension Printers {
    static let podPrinter = Printer(columns: [
        C("Name"), C("Ready"), C("Status"), C("Restarts", "string"), C("Age"),
        C("IP", wide: true), C("Node", wide: true), C("Nominated Node", wide: true), C("Readiness Gates", wide: true),
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
        return [name(o), .string("\(ready)/\(total)"), .string(reason), restartCell, t.age(o),
                str(o, "status.podIP"), str(o, "spec.nodeName"), str(o, "status.nominatedNodeName"), gateCell]
    }

    static let ingressPrinter = Printer(columns: [C("Name"), C("Class"), C("Hosts"), C("Address"), C("Ports"), C("Age")]) { o, t in
        let hosts = (o[path: ["spec", "rules"]]?.arrayValue ?? []).compactMap { $0["host"]?.stringValue }
        let ips = (o[path: ["status", "loadBalancer", "ingress"]]?.arrayValue ?? []).compactMap { $0["ip"]?.stringValue ?? $0["hostname"]?.stringValue }
        let tls = !(o[path: ["spec", "tls"]]?.arrayValue ?? []).isEmpty
        return [name(o), str(o, "spec.ingressClassName"), .string(hosts.isEmpty ? "*" : hosts.joined(separator: ",")),
                .string(ips.joined(separator: ",")), .string(tls ? "80, 443" : "80"), t.age(o)]
    }

    static let hpaPrinter = Printer(columns: [
        C("Name"), C("Reference"), C("Targets"), C("MinPods", "integer"), C("MaxPods", "integer"), C("Replicas", "integer"), C("Age"),
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
        return [name(o), .string(ref), .string(shown), .int(o[path: ["spec", "minReplicas"]]?.intValue ?? 1),
                int(o, "spec.maxReplicas"), int(o, "status.currentReplicas"), t.age(o)]
    }

    static let nodePrinter = Printer(columns: [
        C("Name"), C("Status"), C("Roles"), C("Age"), C("Version"),
        C("Internal-IP", wide: true), C("External-IP", wide: true), C("OS-Image", wide: true),
        C("Kernel-Version", wide: true), C("Container-Runtime", wide: true),
    ]) { o, t in
        var status = "Unknown"
        for c in o[path: ["status", "conditions"]]?.arrayValue ?? [] where c["type"] == "Ready" {
            // printNode: any Ready status but True reads NotReady (Unknown included); only a
            // node without a Ready condition at all is "Unknown".
            status = c["status"] == "True" ? "Ready" : "NotReady"
        }
        if o[path: ["spec", "unschedulable"]] == true { status += ",SchedulingDisabled" }
        let roles = labelsOf(o).keys.filter { $0.hasPrefix("node-role.kubernetes.io/") }
            .map { String($0.dropFirst("node-role.kubernetes.io/".count)) }.sorted()
        let addrs = o[path: ["status", "addresses"]]?.arrayValue ?? []
        func addr(_ type: String) -> JSONValue {
            .string(addrs.first { $0["type"]?.stringValue == type }?["address"]?.stringValue ?? "<none>")
        }
        return [name(o), .string(status), .string(roles.isEmpty ? "<none>" : roles.joined(separator: ",")), t.age(o),
                str(o, "status.nodeInfo.kubeletVersion", ""), addr("InternalIP"), addr("ExternalIP"),
                str(o, "status.nodeInfo.osImage", "<unknown>"), str(o, "status.nodeInfo.kernelVersion", "<unknown>"),
                str(o, "status.nodeInfo.containerRuntimeVersion", "<unknown>")]
    }

    static let eventPrinter = Printer(columns: [
        C("Last Seen"), C("Type"), C("Reason"), C("Object"), C("Message"),
        C("Subobject", wide: true), C("Source", wide: true), C("First Seen", wide: true), C("Count", "integer", wide: true), C("Name", wide: true),
    ]) { o, t in
        let last = o["lastTimestamp"]?.stringValue ?? o["eventTime"]?.stringValue ?? o[path: ["metadata", "creationTimestamp"]]?.stringValue
        let first = o["firstTimestamp"]?.stringValue ?? o["eventTime"]?.stringValue
        let obj = "\((o[path: ["involvedObject", "kind"]]?.stringValue ?? "").lowercased())/\(o[path: ["involvedObject", "name"]]?.stringValue ?? "")"
        var source = o[path: ["source", "component"]]?.stringValue ?? o["reportingComponent"]?.stringValue ?? ""
        if let host = o[path: ["source", "host"]]?.stringValue, !host.isEmpty { source += ", \(host)" }
        return [t.age(last), str(o, "type", ""), str(o, "reason", ""), .string(obj), str(o, "message", ""),
                str(o, "involvedObject.fieldPath", ""), .string(source), t.age(first), .int(o["count"]?.intValue ?? 1), name(o)]
    }
}
