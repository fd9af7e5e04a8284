import Foundation
import KubeModel

/// The metrics API (metrics.k8s.io/v1beta1) as metrics-server serves it (pkg/api/pod.go,
/// node.go): a PodMetrics for every running pod its node reports on, a NodeMetrics for every
/// node that reports, each labelled as its pod or node and stamped with the sample's time and
/// window. Nothing is stored: process nodes' kubelets are asked (`KubeletSummaries`), and
/// simulated nodes' pods use what their `SimulatedUsage` rule says at this moment.
struct ResourceMetricsReader {
    let api: APIService
    let now: Date

    /// metrics-server's scrape period (`--metric-resolution` in its manifests): the window of
    /// a simulated sample.
    static let simulatedWindow = "15s"
    /// The process nodes' sampling interval (cAdvisor's housekeeping), the window of their rates.
    static let kubeletWindow = "10s"

    /// One pod's metrics, as the API's item.
    struct PodSample {
        var timestamp: Date
        var window: String
        var containers: [(name: String, nanoCores: Int64, bytes: Int64)]
    }

    /// The core resources the metrics are made from; the metrics API is served only with them.
    let podsInfo: ResourceInfo
    let nodesInfo: ResourceInfo

    init(api: APIService, now: Date) throws(APIError) {
        guard let pods = api.catalog.find(group: "", version: "v1", plural: "pods"),
            let nodes = api.catalog.find(group: "", version: "v1", plural: "nodes") else { throw APIError.resourceNotFound() }
        self.api = api
        self.now = now
        podsInfo = pods
        nodesInfo = nodes
    }

    static func key(_ o: JSONValue) -> String { "\(o.metadata.namespace)/\(o.metadata.name)" }

    // MARK: pods

    /// PodMetricsList of the running pods the selectors match, in `namespace` or all.
    func podMetricsList(namespace: String?, options: ListOptions) async throws(APIError) -> JSONValue {
        var podOptions = ListOptions()
        podOptions.labelSelector = options.labelSelector
        podOptions.fieldSelector = options.fieldSelector
        let pods = try api.list(podsInfo, namespace: namespace, options: podOptions)["items"]?.arrayValue ?? []
        let samples = await samples(of: pods)
        var items: [JSONValue] = []
        items.reserveCapacity(pods.count)
        for pod in pods {
            if let s = samples[Self.key(pod)] { items.append(podMetrics(pod, s)) }
        }
        return ["kind": "PodMetricsList", "apiVersion": "metrics.k8s.io/v1beta1", "metadata": .emptyObject, "items": .array(items)]
    }

    /// One pod's PodMetrics; NotFound when the pod is missing or has no metrics yet.
    func podMetrics(namespace: String, name: String) async throws(APIError) -> JSONValue {
        let notFound = APIError(code: 404, reason: "NotFound", message: "podmetrics.metrics.k8s.io \"\(namespace)/\(name)\" not found",
                                details: ["name": .string("\(namespace)/\(name)"), "group": "metrics.k8s.io", "kind": "podmetrics"])
        // A pod that does not exist is the pod lister's NotFound, as metrics-server answers.
        let pod = try api.get(podsInfo, namespace: namespace, name: name)
        guard let s = await samples(of: [pod])[Self.key(pod)] else { throw notFound }
        return podMetrics(pod, s)
    }

    private func podMetrics(_ pod: JSONValue, _ s: PodSample) -> JSONValue {
        var meta: JSONValue = ["name": pod[path: ["metadata", "name"]] ?? "", "namespace": pod[path: ["metadata", "namespace"]] ?? "",
                               "creationTimestamp": .string(Timestamp.format(now))]
        if let labels = pod[path: ["metadata", "labels"]] { meta["labels"] = labels }
        return ["kind": "PodMetrics", "apiVersion": "metrics.k8s.io/v1beta1", "metadata": meta,
                "timestamp": .string(Timestamp.format(s.timestamp)), "window": .string(s.window),
                "containers": .array(s.containers.map {
                    ["name": .string($0.name), "usage": ["cpu": .string(MetricsQuantity.cpu(nanoCores: $0.nanoCores)),
                                                        "memory": .string(MetricsQuantity.memory(bytes: $0.bytes))]]
                })]
    }

    /// The samples of the running pods among `pods`, by `namespace/name`: from their kubelets'
    /// reports, or from their simulated usage.
    func samples(of pods: [JSONValue]) async -> [String: PodSample] {
        let running = pods.filter { Pod($0).status.phase == "Running" && !(Pod($0).spec.nodeName ?? "").isEmpty }
        let nodeNames = Set(running.compactMap { Pod($0).spec.nodeName })
        var nodes: [String: JSONValue] = [:]
        for name in nodeNames { nodes[name] = try? api.get(nodesInfo, namespace: nil, name: name) }
        var out: [String: PodSample] = [:]
        var simulated: [JSONValue] = []
        // The process nodes' kubelets are asked together: one slow kubelet delays a read once.
        let kubelets = nodes.values.filter { !Node($0).isSimulated }
        let (summaries, now) = (api.kubeletSummaries, self.now)
        let reports = await withTaskGroup(of: (String, NodeUsageReport?).self) { group in
            for node in kubelets { group.addTask { (node.metadata.name, await summaries.report(node: node, now: now)) } }
            var all: [String: NodeUsageReport] = [:]
            for await (name, report) in group { all[name] = report }
            return all
        }
        for pod in running {
            guard let nodeName = Pod(pod).spec.nodeName, let node = nodes[nodeName] else { continue }
            if Node(node).isSimulated {
                simulated.append(pod)
                continue
            }
            let key = Self.key(pod)
            guard let p = reports[nodeName]?.pods[key] else { continue }
            out[key] = PodSample(timestamp: p.timestamp, window: Self.kubeletWindow,
                                 containers: p.containers.map { ($0.name, $0.usage.nanoCores, $0.usage.bytes) })
        }
        var usage = SimulatedUsageEvaluator(api: api, now: now)
        for pod in simulated {
            out[Self.key(pod)] = PodSample(timestamp: now, window: Self.simulatedWindow, containers: usage.containers(of: pod))
        }
        return out
    }
}

extension Node {
    /// A node of a simulated fleet (labelled `type: kplane-simulated`, or adopted through the
    /// annotation `kplane.dev/node: simulated`): it runs nothing, and its pods' usage is simulated.
    var isSimulated: Bool {
        metadata.labels["type"] == SimulatedPodAddress.nodeType || metadata.annotations["kplane.dev/node"] == "simulated"
    }
}

extension ResourceMetricsReader {
    /// NodeMetricsList of the nodes the selectors match that report usage.
    func nodeMetricsList(options: ListOptions) async throws(APIError) -> JSONValue {
        var nodeOptions = ListOptions()
        nodeOptions.labelSelector = options.labelSelector
        nodeOptions.fieldSelector = options.fieldSelector
        let nodes = try api.list(nodesInfo, namespace: nil, options: nodeOptions)["items"]?.arrayValue ?? []
        if options.labelSelector.isEmpty && options.fieldSelector.isEmpty {
            api.kubeletSummaries.keep(only: Set(nodes.map { $0.metadata.name }))
        }
        let simulatedPods = nodes.contains { Node($0).isSimulated } ? try runningPods(onNode: nil) : [:]
        var items: [JSONValue] = []
        for node in nodes {
            if let m = await nodeMetrics(node, simulatedPods[node.metadata.name] ?? []) { items.append(m) }
        }
        return ["kind": "NodeMetricsList", "apiVersion": "metrics.k8s.io/v1beta1", "metadata": .emptyObject, "items": .array(items)]
    }

    /// One node's NodeMetrics; NotFound when the node is missing or does not report.
    func nodeMetrics(name: String) async throws(APIError) -> JSONValue {
        let notFound = APIError(code: 404, reason: "NotFound", message: "nodemetrics.metrics.k8s.io \"\(name)\" not found",
                                details: ["name": .string(name), "group": "metrics.k8s.io", "kind": "nodemetrics"])
        let node = try api.get(nodesInfo, namespace: nil, name: name)
        let pods = Node(node).isSimulated ? try runningPods(onNode: name)[name] ?? [] : []
        guard let m = await nodeMetrics(node, pods) else { throw notFound }
        return m
    }

    /// Running pods by node name, on one node or all.
    private func runningPods(onNode name: String?) throws(APIError) -> [String: [JSONValue]] {
        var options = ListOptions()
        options.fieldSelector = "status.phase=Running" + (name.map { ",spec.nodeName=\($0)" } ?? "")
        let pods = try api.list(podsInfo, namespace: nil, options: options)["items"]?.arrayValue ?? []
        return Dictionary(grouping: pods) { Pod($0).spec.nodeName ?? "" }
    }

    /// A process node's usage as its kubelet reports it; a simulated node's, the sum of its
    /// running pods' (it has no system daemons).
    private func nodeMetrics(_ node: JSONValue, _ pods: [JSONValue]) async -> JSONValue? {
        var timestamp = now, window = Self.simulatedWindow
        var cpu: Int64 = 0, memory: Int64 = 0
        if Node(node).isSimulated {
            var usage = SimulatedUsageEvaluator(api: api, now: now)
            for pod in pods {
                for c in usage.containers(of: pod) {
                    cpu = cpu.addingSaturated(c.nanoCores)
                    memory = memory.addingSaturated(c.bytes)
                }
            }
        } else {
            guard let report = await api.kubeletSummaries.report(node: node, now: now), let u = report.node, let t = report.timestamp else { return nil }
            (timestamp, window, cpu, memory) = (t, Self.kubeletWindow, u.nanoCores, u.bytes)
        }
        var meta: JSONValue = ["name": .string(node.metadata.name), "creationTimestamp": .string(Timestamp.format(now))]
        if let labels = node.metadata.labelsValue { meta["labels"] = labels }
        return ["kind": "NodeMetrics", "apiVersion": "metrics.k8s.io/v1beta1", "metadata": meta,
                "timestamp": .string(Timestamp.format(timestamp)), "window": .string(window),
                "usage": ["cpu": .string(MetricsQuantity.cpu(nanoCores: cpu)), "memory": .string(MetricsQuantity.memory(bytes: memory))]]
    }
}
