extension KindDefinition {
    /// core/v1 Service.
    public static let service = KindDefinition(
        schema: .service,
        group: "", versions: ["v1"], kind: "Service", plural: "services", shortNames: ["svc"], categories: ["all"], subresources: ["status", "proxy"],
        printer: TablePrinter(columns: [TableColumn("Name"), TableColumn("Type"), TableColumn("Cluster-IP"), TableColumn("External-IP"),
                                        TableColumn("Port(s)"), TableColumn("Age"), TableColumn("Selector", wide: true)]) { o, t in
            let type = o[path: ["spec", "type"]]?.stringValue ?? "ClusterIP"
            let ports = (o[path: ["spec", "ports"]]?.arrayValue ?? []).map { p -> String in
                let port = p["port"]?.intValue ?? 0
                let proto = p["protocol"]?.stringValue ?? "TCP"
                if let np = p["nodePort"]?.intValue, np > 0 { return "\(port):\(np)/\(proto)" }
                return "\(port)/\(proto)"
            }
            var external = (o[path: ["spec", "externalIPs"]]?.arrayValue ?? []).compactMap(\.stringValue)
            if type == "ExternalName" { external = [o[path: ["spec", "externalName"]]?.stringValue ?? ""] }
            if type == "LoadBalancer" && external.isEmpty {
                external = (o[path: ["status", "loadBalancer", "ingress"]]?.arrayValue ?? []).compactMap { $0["ip"]?.stringValue ?? $0["hostname"]?.stringValue }
                if external.isEmpty { external = ["<pending>"] }
            }
            return [TableCells.name(o), .string(type), TableCells.str(o, "spec.clusterIP"), .string(external.isEmpty ? "<none>" : external.joined(separator: ",")),
                    .string(ports.isEmpty ? "<none>" : ports.joined(separator: ",")), t.age(o), TableCells.mapSelector(o[path: ["spec", "selector"]])]
        },
        hasGeneration: true, defaults: Defaults.service, nameProblem: Naming.dns1035LabelProblem,
        validate: Validation.service,
        validateUpdate: { obj, old in
            if let ip = old[path: ["spec", "clusterIP"]], let new = obj[path: ["spec", "clusterIP"]], ip != new {
                return [.invalid("spec.clusterIPs[0]", new, "may not change once set")]
            }
            return []
        },
        hooks: KindHooks(
            prepareForCreate: { obj, context in
                try KindHooks.allocateClusterIP(&obj, context)
                try KindHooks.allocateNodePorts(&obj, context)
            },
            prepareForUpdate: { new, old in
                // An update that leaves the ClusterIP out keeps the one allocated.
                if new[path: ["spec", "clusterIP"]] == nil {
                    new.set(["spec", "clusterIP"], old[path: ["spec", "clusterIP"]])
                    new.set(["spec", "clusterIPs"], old[path: ["spec", "clusterIPs"]])
                }
                KindHooks.dropNodePortsNoLongerNeeded(&new, old)
                KindHooks.keepNodePorts(&new, old)
            },
            beginUpdate: { new, old, context in
                try KindHooks.allocateNodePorts(&new, context, holding: Set(KindHooks.nodePorts(old)))
            },
            afterUpdate: { new, old, context in
                for port in Set(KindHooks.nodePorts(old)).subtracting(KindHooks.nodePorts(new)) {
                    context.allocator(Allocators.nodePort)?.release(String(port))
                }
            },
            afterDelete: { obj, context in
                if let ip = obj[path: ["spec", "clusterIP"]]?.stringValue { context.allocator(Allocators.clusterIP)?.release(ip) }
                for port in KindHooks.nodePorts(obj) { context.allocator(Allocators.nodePort)?.release(String(port)) }
            },
            repair: { obj, context in
                if let ip = obj[path: ["spec", "clusterIP"]]?.stringValue { context.allocator(Allocators.clusterIP)?.reserve(ip) }
                for port in KindHooks.nodePorts(obj) { context.allocator(Allocators.nodePort)?.reserve(String(port)) }
            }))
}

extension KindHooks {
    /// The service storage's BeginCreate: the ClusterIP asked for, if free and in range, or the
    /// next free one; headless and ExternalName Services get none.
    static func allocateClusterIP(_ obj: inout JSONValue, _ context: any KindHookContext) throws {
        let type = obj[path: ["spec", "type"]]?.stringValue ?? "ClusterIP"
        guard type != "ExternalName", let range = context.allocator(Allocators.clusterIP) else { return }
        if let ip = obj[path: ["spec", "clusterIP"]]?.stringValue, !ip.isEmpty {
            if ip == "None" {
                obj.set(["spec", "clusterIPs"], ["None"])
                return
            }
            guard range.contains(ip) || ip == range.first else {
                throw KindHookError.invalid([.invalid("spec.clusterIPs", .array([.string(ip)]), "failed to allocate IP \(ip): the provided IP (\(ip)) is not in the valid range. The range of valid IPs is \(range.first)/16")])
            }
            guard range.reserve(ip) else {
                throw KindHookError.invalid([.invalid("spec.clusterIPs", .array([.string(ip)]), "failed to allocate IP \(ip): provided IP is already allocated")])
            }
            obj.set(["spec", "clusterIPs"], [.string(ip)])
            return
        }
        guard let ip = range.allocate() else { throw KindHookError.internalError("failed to allocate a serviceIP: range is full") }
        obj.set(["spec", "clusterIP"], .string(ip))
        obj.set(["spec", "clusterIPs"], [.string(ip)])
    }
}

extension KindHooks {
    /// The service storage's node-port allocation (alloc.go): each port of a Service that
    /// needs node ports gets the one it asks for, if free, or a random free one. A number the
    /// Service already holds (`holding`, on update) or gave an earlier port of the same number
    /// (TCP and UDP may share one) is not allocated again.
    static func allocateNodePorts(_ obj: inout JSONValue, _ context: any KindHookContext, holding: Set<Int64> = []) throws {
        guard needsNodePorts(obj), let range = context.allocator(Allocators.nodePort),
              var ports = obj[path: ["spec", "ports"]]?.arrayValue else { return }
        var held = holding
        for i in ports.indices {
            if let asked = ports[i]["nodePort"]?.intValue, asked != 0 {
                if held.contains(asked) { continue }
                guard range.reserve(String(asked)) else {
                    throw KindHookError.invalid([.invalid("spec.ports[\(i)].nodePort", .int(asked), "provided port is already allocated")])
                }
                held.insert(asked)
            } else {
                guard let port = range.allocate().flatMap({ Int64($0) }) else {
                    throw KindHookError.internalError("failed to allocate a nodePort: range is full")
                }
                ports[i]["nodePort"] = .int(port)
                held.insert(port)
            }
        }
        obj.set(["spec", "ports"], .array(ports))
    }

    /// NodePort Services, and LoadBalancers unless `allocateLoadBalancerNodePorts` is false.
    static func needsNodePorts(_ obj: JSONValue) -> Bool {
        switch obj[path: ["spec", "type"]]?.stringValue ?? "ClusterIP" {
        case "NodePort": return true
        case "LoadBalancer": return obj[path: ["spec", "allocateLoadBalancerNodePorts"]]?.boolValue ?? true
        default: return false
        }
    }

    /// The strategy's dropTypeDependentFields: a Service whose new type needs no node ports
    /// loses the ones it had, unless the update itself changed them (then validation speaks).
    static func dropNodePortsNoLongerNeeded(_ new: inout JSONValue, _ old: JSONValue) {
        guard needsNodePorts(old), !needsNodePorts(new), nodePorts(new) == nodePorts(old),
              var ports = new[path: ["spec", "ports"]]?.arrayValue else { return }
        for i in ports.indices { ports[i]["nodePort"] = nil }
        new.set(["spec", "ports"], .array(ports))
    }

    /// An update that leaves a port's nodePort out keeps the one allocated (the same port and
    /// protocol), as the service strategy's PrepareForUpdate does.
    static func keepNodePorts(_ new: inout JSONValue, _ old: JSONValue) {
        guard let oldPorts = old[path: ["spec", "ports"]]?.arrayValue, var ports = new[path: ["spec", "ports"]]?.arrayValue,
              ["NodePort", "LoadBalancer"].contains(new[path: ["spec", "type"]]?.stringValue ?? "ClusterIP") else { return }
        for i in ports.indices where ports[i]["nodePort"] == nil {
            let same = oldPorts.first { $0["port"] == ports[i]["port"] && ($0["protocol"] ?? "TCP") == (ports[i]["protocol"] ?? "TCP") }
            if let nodePort = same?["nodePort"] { ports[i]["nodePort"] = nodePort }
        }
        new.set(["spec", "ports"], .array(ports))
    }

    static func nodePorts(_ obj: JSONValue) -> [Int64] {
        (obj[path: ["spec", "ports"]]?.arrayValue ?? []).compactMap { $0["nodePort"]?.intValue }.filter { $0 > 0 }
    }
}

extension Defaults {
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
}

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
}
