import AsyncHTTPClient
import Foundation
import KubeModel
import Logging
import NIOCore
import Synchronization

/// What one node's kubelet reported at `/stats/summary`, reduced to what the metrics API
/// serves: the node's usage and each pod's containers' usage, with the sample's time.
struct NodeUsageReport: Sendable {
    struct Usage: Sendable, Equatable {
        var nanoCores: Int64
        var bytes: Int64
    }

    struct PodReport: Sendable {
        var timestamp: Date
        var containers: [(name: String, usage: Usage)]
    }

    var timestamp: Date?
    var node: Usage?
    /// By `namespace/name`. A pod whose containers have no CPU rate yet (sampled once) is left
    /// out, as metrics-server leaves it out.
    var pods: [String: PodReport] = [:]

    /// Reads the Summary API's JSON; fields it does not know are ignored.
    init(summary: JSONValue) {
        func usage(_ o: JSONValue?) -> (Usage, Date)? {
            guard let cpu = o?["cpu"], let nano = cpu["usageNanoCores"]?.intValue,
                let bytes = o?[path: ["memory", "workingSetBytes"]]?.intValue,
                let time = cpu["time"]?.stringValue.flatMap(Timestamp.parse) else { return nil }
            return (Usage(nanoCores: nano, bytes: bytes), time)
        }
        if let (u, t) = usage(summary["node"]) {
            node = u
            timestamp = t
        }
        for pod in summary["pods"]?.arrayValue ?? [] {
            guard let ns = pod[path: ["podRef", "namespace"]]?.stringValue, let name = pod[path: ["podRef", "name"]]?.stringValue else { continue }
            var containers: [(String, Usage)] = []
            var time: Date?
            var complete = true
            for c in pod["containers"]?.arrayValue ?? [] {
                guard let cname = c["name"]?.stringValue, let (u, t) = usage(c) else {
                    complete = false
                    break
                }
                containers.append((cname, u))
                time = max(time ?? t, t)
            }
            guard complete, let time, !containers.isEmpty else { continue }
            pods["\(ns)/\(name)"] = PodReport(timestamp: time, containers: containers)
        }
    }
}

/// The kubelets' reports, fetched as metrics-server scrapes them and kept for a moment, so the
/// HPA, `kubectl top` and a watcher of both within `freshFor` cost one request per node. Only
/// kubelets on this machine's loopback are asked (simulated nodes run no kubelet); the cache
/// holds one entry per node and forgets nodes that are gone (`keep(only:)`).
final class KubeletSummaries: Sendable {
    /// Half the process nodes' sampling interval (10 s): a read is at most one sample behind.
    static let freshFor: TimeInterval = 2
    /// metrics-server's `--kubelet-request-timeout` is 10 s; a local kubelet answers in ms.
    static let timeout: TimeAmount = .seconds(5)

    /// The last answer of each node, a failure (nil) included, so a hung kubelet costs one
    /// timeout per `freshFor`, not one per read.
    private let cache = Mutex<[String: (at: Date, report: NodeUsageReport?)]>([:])
    private let logger = Logger(label: "kplane.metrics")

    /// The node's report, from the cache when fresh; nil when its kubelet cannot be asked or
    /// does not answer (logged, and the node's pods then have no metrics, as with metrics-server).
    func report(node: JSONValue, now: Date) async -> NodeUsageReport? {
        let name = node[path: ["metadata", "name"]]?.stringValue ?? ""
        if let hit = cache.withLock({ $0[name] }), now.timeIntervalSince(hit.at) < Self.freshFor { return hit.report }
        let address = (node[path: ["status", "addresses"]]?.arrayValue ?? [])
            .first { $0["type"]?.stringValue == "InternalIP" }?["address"]?.stringValue ?? ""
        guard KubeletLocation.isLoopback(address) else { return nil }
        let report = await fetch(name, address: address, node: node)
        cache.withLock { $0[name] = (now, report) }
        return report
    }

    private func fetch(_ name: String, address: String, node: JSONValue) async -> NodeUsageReport? {
        let configured = Int(node[path: ["status", "daemonEndpoints", "kubeletEndpoint", "Port"]]?.intValue ?? 0)
        let url = KubeletLocation(host: address, port: configured > 0 ? configured : 10250, path: "/stats/summary", query: []).url
        do {
            let response = try await KubeletClient.shared.execute(HTTPClientRequest(url: url), timeout: Self.timeout)
            guard response.status == .ok else {
                logger.warning("Failed to scrape node \(name): request failed, status \(response.status.code)")
                return nil
            }
            let body = try await response.body.collect(upTo: 64 << 20)
            return NodeUsageReport(summary: try JSONParser.parse(body.readableBytesView))
        } catch {
            logger.warning("Failed to scrape node \(name): \(error)")
            return nil
        }
    }

    /// Drops the entries of nodes not in `names`.
    func keep(only names: Set<String>) {
        cache.withLock { c in
            for key in c.keys where !names.contains(key) { c.removeValue(forKey: key) }
        }
    }
}
