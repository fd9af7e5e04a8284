import ArgumentParser
import Foundation
import KubeClient
import KubeModel

/// `top pod` and `top node`: the metrics API's figures, as kubectl's top prints them
/// (pkg/cmd/top, metricsutil/metrics_printer.go): CPU in millicores, memory in MiB, sorted by
/// name or by `--sort-by`, in Go's tabwriter with kubectl's settings.
struct Top: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "top", abstract: "Display resource (CPU/memory) usage.", subcommands: [TopPod.self, TopNode.self])
}

enum TopMetrics {
    static let group = "metrics.k8s.io"

    /// kubectl asks discovery first, every time, and stops here without the group.
    static func requireAPI(_ session: Session) async throws {
        let groups = try await session.client.call("GET", "/apis")["groups"]?.arrayValue ?? []
        guard groups.contains(where: { $0["name"]?.stringValue == group }) else { throw KctlError("Metrics API not available") }
    }

    static func milliCPU(_ usage: JSONValue?) -> Int64 { quantity(usage?["cpu"]).map { Int64(clampingValue: ($0.value * 1000).rounded(.up)) } ?? 0 }
    static func bytes(_ usage: JSONValue?) -> Int64 { quantity(usage?["memory"]).map { Int64(clampingValue: $0.value.rounded(.up)) } ?? 0 }
    static func quantity(_ v: JSONValue?) -> Quantity? { v?.stringValue.flatMap(Quantity.init) }

    /// `250m`, `64Mi`: how kubectl prints a value (MilliValue, and Value / 2^20).
    static func cpuCell(_ milli: Int64) -> String { "\(milli)m" }
    static func memoryCell(_ bytes: Int64) -> String { "\(bytes / (1024 * 1024))Mi" }

    /// Go's tabwriter as kubectl's GetNewTabWriter sets it: minimum width 6, padding 3; every
    /// cell ends in a tab, so the last column is padded too.
    static func print(_ rows: [[String]]) {
        let text = rows.map { $0.map { $0 + "\t" }.joined() + "\n" }.joined()
        Terminal.out(GoTabWriter(minWidth: 6, padding: 3).format(text))
    }

    static func validateSort(_ sortBy: String?) throws {
        if let s = sortBy, !["cpu", "memory"].contains(s) {
            throw KctlError("--sort-by accepts only cpu or memory")
        }
    }
}

struct TopPod: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pod", abstract: "Display resource (CPU/memory) usage of pods.", aliases: ["pods", "po"])
    @OptionGroup var global: GlobalOptions
    @Argument var name: String?
    @Flag(name: [.customShort("A"), .customLong("all-namespaces")]) var allNamespaces = false
    @Option(name: [.customShort("l"), .customLong("selector")]) var selector: String?
    @Option(name: .customLong("field-selector")) var fieldSelector: String?
    @Flag(name: .customLong("containers")) var containers = false
    @Option(name: .customLong("sort-by")) var sortBy: String?
    @Flag(name: .customLong("no-headers")) var noHeaders = false
    @Flag(name: .customLong("sum")) var sum = false
    @Option(name: .customLong("use-protocol-buffers")) var useProtocolBuffers: Bool = true

    func run() async throws {
        try await Kctl.guarded {
            try TopMetrics.validateSort(sortBy)
            if name != nil && (selector != nil || fieldSelector != nil) {
                throw KctlError("only one of NAME or selector can be provided")
            }
            let session = try global.session()
            try await TopMetrics.requireAPI(session)
            let ns = allNamespaces ? nil : session.namespace
            let base = "/apis/metrics.k8s.io/v1beta1" + (ns.map { "/namespaces/\($0)" } ?? "") + "/pods"
            var items: [JSONValue]
            if let name {
                items = [try await session.client.call("GET", base + "/" + name)]
            } else {
                var query: [(String, String)] = []
                if let selector { query.append(("labelSelector", selector)) }
                if let fieldSelector { query.append(("fieldSelector", fieldSelector)) }
                items = ObjectList(try await session.client.call("GET", base, query: query)).items
                if items.isEmpty {
                    try await explainEmpty(session, namespace: ns, query: query)
                    return
                }
            }
            print(items, withNamespace: allNamespaces)
        }
    }

    /// No metrics: kubectl blames a pod older than two minutes (metrics should exist by then),
    /// else says metrics are not ready yet, or that there are no pods at all.
    private func explainEmpty(_ session: Session, namespace: String?, query: [(String, String)]) async throws {
        let pods = ObjectList(try await session.client.call("GET", APIResource.pods.path(namespace: namespace), query: query)).items
        guard !pods.isEmpty else {
            Terminal.err(namespace.map { "No resources found in \($0) namespace." } ?? "No resources found")
            return
        }
        for pod in pods {
            guard let created = pod.metadata.creationTimestamp else { continue }
            let age = Date().timeIntervalSince(created)
            if age > 120 {
                throw KctlError("Metrics not available for pod \(pod.metadata.namespace)/\(pod.metadata.name), age: \(GoDuration.string(seconds: age))")
            }
        }
        throw KctlError("metrics not available yet")
    }

    private func print(_ items: [JSONValue], withNamespace: Bool) {
        struct Row {
            var namespace: String, pod: String, container: String, cpu: Int64, memory: Int64
        }
        var rows: [Row] = []
        for m in items {
            let cs = m["containers"]?.arrayValue ?? []
            if containers {
                for c in cs {
                    rows.append(Row(namespace: m.metadata.namespace, pod: m.metadata.name, container: c["name"]?.stringValue ?? "",
                                    cpu: TopMetrics.milliCPU(c["usage"]), memory: TopMetrics.bytes(c["usage"])))
                }
            } else {
                rows.append(Row(namespace: m.metadata.namespace, pod: m.metadata.name, container: "",
                                cpu: cs.reduce(0) { $0.addingSaturated(TopMetrics.milliCPU($1["usage"])) },
                                memory: cs.reduce(0) { $0.addingSaturated(TopMetrics.bytes($1["usage"])) }))
            }
        }
        rows.sort { a, b in
            switch sortBy {
            case "cpu": return a.cpu > b.cpu
            case "memory": return a.memory > b.memory
            default: return withNamespace && a.namespace != b.namespace ? a.namespace < b.namespace : (a.pod, a.container) < (b.pod, b.container)
            }
        }
        let lead = (withNamespace ? 1 : 0) + (containers ? 2 : 1)
        var table: [[String]] = []
        if !noHeaders {
            table.append((withNamespace ? ["NAMESPACE"] : []) + (containers ? ["POD", "NAME"] : ["NAME"]) + ["CPU(cores)", "MEMORY(bytes)"])
        }
        for r in rows {
            table.append((withNamespace ? [r.namespace] : []) + (containers ? [r.pod, r.container] : [r.pod])
                         + [TopMetrics.cpuCell(r.cpu), TopMetrics.memoryCell(r.memory)])
        }
        if sum {
            table.append(Array(repeating: "", count: lead) + ["________", "________"])
            table.append(Array(repeating: "", count: lead) + [TopMetrics.cpuCell(rows.reduce(0) { $0.addingSaturated($1.cpu) }),
                                                              TopMetrics.memoryCell(rows.reduce(0) { $0.addingSaturated($1.memory) })])
        }
        TopMetrics.print(table)
    }
}

struct TopNode: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "node", abstract: "Display resource (CPU/memory) usage of nodes.", aliases: ["nodes", "no"])
    @OptionGroup var global: GlobalOptions
    @Argument var name: String?
    @Option(name: [.customShort("l"), .customLong("selector")]) var selector: String?
    @Option(name: .customLong("sort-by")) var sortBy: String?
    @Flag(name: .customLong("no-headers")) var noHeaders = false
    @Flag(name: .customLong("show-capacity")) var showCapacity = false
    @Option(name: .customLong("use-protocol-buffers")) var useProtocolBuffers: Bool = true

    func run() async throws {
        try await Kctl.guarded {
            try TopMetrics.validateSort(sortBy)
            let session = try global.session()
            try await TopMetrics.requireAPI(session)
            var metrics: [JSONValue], nodes: [JSONValue]
            if let name {
                metrics = [try await session.client.call("GET", "/apis/metrics.k8s.io/v1beta1/nodes/" + name)]
                nodes = [try await session.client.call("GET", APIResource.nodes.path(namespace: nil, name: name))]
            } else {
                let query = selector.map { [("labelSelector", $0)] } ?? []
                metrics = ObjectList(try await session.client.call("GET", "/apis/metrics.k8s.io/v1beta1/nodes", query: query)).items
                nodes = ObjectList(try await session.client.call("GET", APIResource.nodes.path(namespace: nil), query: query)).items
            }
            let capacity = Dictionary(nodes.map { n -> (String, ResourceList) in
                let status = Node(n).status
                return (n.metadata.name, (showCapacity ? status.capacity : status.allocatable)?.list ?? ResourceList())
            }, uniquingKeysWith: { a, _ in a })
            struct Row { var name: String, cpu: Int64, memory: Int64 }
            var rows = metrics.map { Row(name: $0.metadata.name, cpu: TopMetrics.milliCPU($0["usage"]), memory: TopMetrics.bytes($0["usage"])) }
            rows.sort { a, b in
                switch sortBy {
                case "cpu": return a.cpu > b.cpu
                case "memory": return a.memory > b.memory
                default: return a.name < b.name
                }
            }
            var table: [[String]] = noHeaders ? [] : [["NAME", "CPU(cores)", "CPU(%)", "MEMORY(bytes)", "MEMORY(%)"]]
            for r in rows {
                let cap = capacity[r.name] ?? ResourceList()
                table.append([r.name, TopMetrics.cpuCell(r.cpu), cap.milliCPU > 0 ? "\(Int64(clampingValue: Double(r.cpu) * 100 / Double(cap.milliCPU)))%" : "<unknown>",
                              TopMetrics.memoryCell(r.memory), cap.memory > 0 ? "\(Int64(clampingValue: Double(r.memory) * 100 / Double(cap.memory)))%" : "<unknown>"])
            }
            // Nodes without metrics are listed last, as kubectl lists them.
            let reported = Set(rows.map(\.name))
            for n in nodes.map({ $0.metadata.name }).sorted() where !reported.contains(n) {
                table.append([n, "<unknown>", "<unknown>", "<unknown>", "<unknown>"])
            }
            TopMetrics.print(table)
        }
    }
}
