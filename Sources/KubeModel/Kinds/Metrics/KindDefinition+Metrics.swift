extension KindDefinition {
    /// metrics.k8s.io/v1beta1 NodeMetrics: what a node uses now, as metrics-server serves it.
    /// Not stored: each read is made from what the nodes report (`APIServer/Metrics`).
    public static let nodeMetrics = KindDefinition(
        schema: .metrics,
        group: "metrics.k8s.io", versions: ["v1beta1"], kind: "NodeMetrics", plural: "nodes", namespaced: false,
        verbs: ["get", "list"], printer: metricsPrinter { $0["usage"] }, isStored: false)

    /// metrics.k8s.io/v1beta1 PodMetrics: what each container of a running pod uses now.
    public static let podMetrics = KindDefinition(
        schema: .metrics,
        group: "metrics.k8s.io", versions: ["v1beta1"], kind: "PodMetrics", plural: "pods",
        verbs: ["get", "list"], printer: metricsPrinter(podUsage), isStored: false)

    /// metrics-server's table (pkg/api/table.go): name, CPU, memory and the sample's window.
    static func metricsPrinter(_ usage: @escaping @Sendable (JSONValue) -> JSONValue?) -> TablePrinter {
        TablePrinter(columns: [TableColumn("Name", format: "name"), TableColumn("CPU"), TableColumn("Memory"), TableColumn("Window")]) { o, _ in
            let u = usage(o)
            return [TableCells.name(o), u?["cpu"] ?? "", u?["memory"] ?? "", o["window"] ?? ""]
        }
    }

    /// A pod's usage is its containers' sum.
    @Sendable static func podUsage(_ o: JSONValue) -> JSONValue? {
        var cpu: Int64 = 0, memory: Int64 = 0
        for c in o["containers"]?.arrayValue ?? [] {
            cpu = cpu.addingSaturated(c[path: ["usage", "cpu"]]?.stringValue.flatMap(Quantity.init).map { Int64(clampingValue: ($0.value * 1e9).rounded()) } ?? 0)
            memory = memory.addingSaturated(c[path: ["usage", "memory"]]?.stringValue.flatMap(Quantity.init).map { Int64(clampingValue: $0.value) } ?? 0)
        }
        return ["cpu": .string(MetricsQuantity.cpu(nanoCores: cpu)), "memory": .string(MetricsQuantity.memory(bytes: memory))]
    }
}

extension KindSchema {
    static let metrics = KindSchema(types: """
NodeMetrics "NodeMetrics sets resource usage metrics of a node."
  apiVersion string
  kind string
  metadata ObjectMeta #1
  timestamp time #2 "The following fields define time interval from which metrics were collected from the interval [Timestamp-Window, Timestamp]."
  window string #3
  usage map[quantity] #4 "The memory usage is the memory working set."
PodMetrics "PodMetrics sets resource usage metrics of a pod."
  apiVersion string
  kind string
  metadata ObjectMeta #1
  timestamp time #2 "The following fields define time interval from which metrics were collected from the interval [Timestamp-Window, Timestamp]."
  window string #3
  containers []ContainerMetrics #4 "Metrics for all containers are collected within the same time window."
ContainerMetrics "ContainerMetrics sets resource usage metrics of a container."
  name string #1 "Container name corresponding to the one from pod.spec.containers."
  usage map[quantity] #2 "The memory usage is the memory working set."
""")
}
