import Foundation

/// The ratio of observed to target usage that every replica count starts from
/// (metrics/utilization.go). Totals are summed in 128 bits, as Kubernetes falls back to big
/// integers when int64 would overflow.
enum UsageRatio {
    /// Utilization as a percentage of requests over the pods that have both a metric and a
    /// request: returns the ratio to the target, the utilization (truncated to an integer
    /// percent, as Kubernetes does before dividing) and the raw average milli-value per pod.
    static func resourceUtilization(_ metrics: PodMetricsInfo, requests: [String: Int64], targetUtilization: Int32) throws
        -> (ratio: Double, utilization: Int32, rawAverage: Int64)
    {
        var metricsTotal: Int128 = 0
        var requestsTotal: Int128 = 0
        var entries: Int128 = 0
        for (pod, metric) in metrics {
            // Missing requests are checked elsewhere: a metric without one is superfluous.
            guard let request = requests[pod] else { continue }
            metricsTotal += Int128(metric.value)
            requestsTotal += Int128(request)
            entries += 1
        }
        // The requests can be disjoint from the metrics, leaving nothing to divide by.
        guard requestsTotal != 0 else { throw HPAError("no metrics returned matched known pods") }
        let percentage = metricsTotal * 100 / requestsTotal
        guard let utilization = Int32(exactly: percentage) else {
            throw HPAError("resource utilization \(percentage) is outside the int32 range")
        }
        let ratio = Double(utilization) / Double(targetUtilization)
        return (ratio, utilization, Int64(clamping: metricsTotal / entries))
    }

    /// Average usage per pod against an average-value target: the ratio and the average.
    static func metricUsage(_ metrics: PodMetricsInfo, targetUsage: Int64) -> (ratio: Double, usage: Int64) {
        let total = metrics.values.reduce(Int128(0)) { $0 + Int128($1.value) }
        let usage = Int64(clamping: total / Int128(max(metrics.count, 1)))
        return (Double(usage) / Double(targetUsage), usage)
    }
}
