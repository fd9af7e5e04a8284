/// Where the kubelet's server finds the node's resource usage (`/stats/summary`,
/// `/metrics/resource`); the process node's sampler implements it.
public protocol NodeStatsSource: Sendable {
    func statsSummary() -> StatsSummary
}
