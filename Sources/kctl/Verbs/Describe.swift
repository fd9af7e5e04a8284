import ArgumentParser
import Foundation
import KubeClient
import KubeModel

struct Describe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "describe", abstract: "Show details of a specific resource or group of resources.")

    @OptionGroup var global: GlobalOptions
    @Argument var args: [String] = []
    @Option(name: [.customShort("l"), .customLong("selector")]) var selector: String?
    @Flag(name: [.customShort("A"), .customLong("all-namespaces")]) var allNamespaces = false
    /// kctl's own: a node's usage (metrics.k8s.io) against its allocatable, after what kubectl
    /// prints (which stays as kubectl prints it without the flag).
    @Flag(name: .customLong("show-usage"), help: "With nodes: add what each node uses now (kctl only).") var showUsage = false

    func run() async throws {
        try await Kctl.guarded {
            let session = try global.session()
            var targets: [(APIResource, JSONValue)] = []
            var failed = false
            if let first = args.first, !first.contains("/"), args.count == 1 {
                let r = try await session.resource(first)
                var q: [(String, String)] = []
                if let selector { q.append(("labelSelector", selector)) }
                let list = try await session.client.call("GET", r.path(namespace: allNamespaces || !r.namespaced ? nil : session.namespace), query: q)
                targets = ObjectList(list).items.map { (r, $0) }
                if targets.isEmpty {
                    Terminal.err(allNamespaces || !r.namespaced ? "No resources found" : "No resources found in \(session.namespace) namespace.")
                }
            } else {
                for (r, name) in try await TypeName.parse(args, session) {
                    do {
                        targets.append((r, try await session.client.call("GET", r.path(namespace: r.namespaced ? session.namespace : nil, name: name))))
                    } catch let e as APIStatusError {
                        Terminal.err(ErrorText.server(e))
                        failed = true
                    }
                }
            }
            var texts: [String] = []
            for (r, obj) in targets { texts.append(try await Describers(session: session, showUsage: showUsage).describe(r, obj)) }
            Terminal.out(texts.map { $0 + "\n" }.joined(separator: "\n\n"))
            if failed { throw ExitCode(1) }
        }
    }
}

/// One describer per kind, following kubectl's (k8s.io/kubectl/pkg/describe).
struct Describers {
    let session: Session
    var showUsage = false

    func describe(_ r: APIResource, _ o: JSONValue) async throws -> String {
        var w = DescribeWriter()
        switch r.kind {
        case "Deployment": try await deployment(o, &w)
        case "ReplicaSet": try await replicaSet(o, &w)
        case "Pod": try await pod(o, &w)
        case "Service": try await service(o, &w)
        case "Endpoints": try await endpointsObject(o, &w)
        case "EndpointSlice": try await endpointSlice(o, &w)
        case "Ingress": try await ingress(o, &w)
        case "HorizontalPodAutoscaler": try await hpa(o, &w)
        case "ConfigMap": try await configMap(o, &w)
        case "Secret": secret(o, &w)
        case "Namespace": namespace(o, &w)
        case "ServiceAccount": try await serviceAccount(o, &w)
        case "Node": try await node(o, &w)
        default:
            w.meta(o, namespace: r.namespaced)
            w.events(try await events(o))
        }
        var text = w.rendered
        while text.hasSuffix("\n") { text.removeLast() }
        return text
    }

    func events(_ o: JSONValue) async throws -> [Event]? {
        let meta = o.metadata
        let ns = meta.namespace.isEmpty ? "default" : meta.namespace
        var fs = "involvedObject.name=\(meta.name),involvedObject.namespace=\(ns)"
        // Any kind: `kind` is the one top-level field every object has.
        if let kind = o["kind"]?.stringValue { fs += ",involvedObject.kind=\(kind)" }
        if !meta.uid.isEmpty { fs += ",involvedObject.uid=\(meta.uid)" }
        guard let list = try? await session.client.call("GET", "/api/v1/namespaces/\(ns)/events", query: [("fieldSelector", fs)]) else { return [] }
        func time(_ e: Event) -> Date { e.lastTimestamp ?? e.eventTime ?? .distantPast }
        return ObjectList(list).items.map(Event.init).sorted { time($0) < time($1) }
    }

    func conditions(_ o: JSONValue, _ w: inout DescribeWriter) {
        let cs = o.objectStatus.conditions
        guard !cs.isEmpty else { return }
        w.write(0, "Conditions:")
        w.write(1, "Type\tStatus\tReason")
        w.write(1, "----\t------\t------")
        for c in cs {
            w.write(1, "\(c.type) \t\(c.status ?? "")\t\(c.reason ?? "")")
        }
    }

    func deployment(_ o: JSONValue, _ w: inout DescribeWriter) async throws {
        w.meta(o, created: true)
        let d = Deployment(o), spec = d.spec, status = d.status
        let selector = Self.selector(spec.selector)
        w.write(0, "Selector:\t\(selector)")
        w.write(0, "Replicas:\t\(spec.replicas ?? 1) desired | \(status.updatedReplicas) updated | \(status.replicas) total | \(status.availableReplicas) available | \(status.unavailableReplicas) unavailable")
        let type = spec.strategy.type
        w.write(0, "StrategyType:\t\(type)")
        w.write(0, "MinReadySeconds:\t\(spec.minReadySeconds)")
        if type == "RollingUpdate", let ru = spec.strategy.rollingUpdate {
            w.write(0, "RollingUpdateStrategy:\t\(ru.maxUnavailable?.description ?? "25%") max unavailable, \(ru.maxSurge?.description ?? "25%") max surge")
        }
        w.podTemplate(spec.template.json)
        conditions(o, &w)
        let ns = d.metadata.namespace.isEmpty ? session.namespace : d.metadata.namespace
        let uid = d.metadata.uid
        let rsList = try? await session.client.call("GET", "/apis/apps/v1/namespaces/\(ns)/replicasets", query: [("labelSelector", selector)])
        let owned = (rsList.map { ObjectList($0).items } ?? []).filter { ReplicaSet($0).metadata.controllerRef?.uid == uid }
        if !owned.isEmpty {
            // kubectl's FindNewReplicaSet sorts by creation time (then name) and takes the first
            // whose template matches; every other owned ReplicaSet is old, scaled down or not.
            func created(_ rs: JSONValue) -> Date { rs.metadata.creationTimestamp ?? .distantPast }
            let byAge = owned.sorted { (created($0), $0.metaName) < (created($1), $1.metaName) }
            let template = Self.strippedTemplate(spec.template.json)
            let newRS = byAge.first { Self.strippedTemplate(ReplicaSet($0).spec.template.json) == template }
            let old = byAge.filter { $0 != newRS }
            func line(_ rss: [JSONValue]) -> String {
                rss.isEmpty ? "<none>" : rss.map { ReplicaSet($0) }.map { "\($0.metadata.name) (\($0.status.replicas)/\($0.spec.replicas ?? 0) replicas created)" }.joined(separator: ", ")
            }
            w.write(0, "OldReplicaSets:\t\(line(old))")
            w.write(0, "NewReplicaSet:\t\(line(newRS.map { [$0] } ?? []))")
        }
        w.events(try await events(o))
    }

    static func strippedTemplate(_ t: JSONValue?) -> JSONValue? {
        var t = t
        t?.set(["metadata", "labels", "pod-template-hash"], nil)
        return t
    }

    static func selector(_ json: JSONValue?) -> String {
        let s = LabelSelectorSpec(json ?? .emptyObject), ml = s.matchLabels
        var parts = ml.keys.sorted().map { "\($0)=\(ml[$0] ?? "")" }
        for e in s.matchExpressions {
            let values = e.values.joined(separator: ","), key = e.key
            switch e.operator {
            case "In": parts.append("\(key) in (\(values))")
            case "NotIn": parts.append("\(key) notin (\(values))")
            case "Exists": parts.append(key)
            default: parts.append("!\(key)")
            }
        }
        return parts.isEmpty ? "<none>" : parts.joined(separator: ",")
    }

    func replicaSet(_ o: JSONValue, _ w: inout DescribeWriter) async throws {
        w.meta(o)
        let rs = ReplicaSet(o)
        w.write(0, "Selector:\t\(Self.selector(rs.spec.selector))")
        if let owner = o.metadata.controllerRef { w.write(0, "Controlled By:\t\(owner.kind)/\(owner.name)") }
        w.write(0, "Replicas:\t\(rs.status.replicas) current / \(rs.spec.replicas ?? 0) desired")
        w.write(0, "Pods Status:\t\(rs.status.readyReplicas) Running / 0 Waiting / 0 Succeeded / 0 Failed")
        w.podTemplate(rs.spec.template.json)
        conditions(o, &w)
        w.events(try await events(o))
    }
}
