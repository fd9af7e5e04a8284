/// Where the kubelet's server finds the node's resource usage (`/stats/summary`,
/// `/metrics/resource`); the process node's sampler implements it.
public protocol NodeStatsSource: Sendable {
    /// What the node's containers and the node use, as last sampled.
    func statsSummary() -> StatsSummary
}
