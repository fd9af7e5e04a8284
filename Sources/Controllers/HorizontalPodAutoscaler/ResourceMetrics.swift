import Foundation
import KubeModel

/// Turns the resource metrics API's pod samples into the per-pod values the replica calculator
/// works on, as the HPA's resource metrics client does (metrics/resource_client.go
/// `GetResourceMetric`, `getPodMetrics`, `getContainerMetrics`).
enum ResourceMetrics {
    /// Per-pod milli-values of `resource` (summed over containers, or of `container` alone), and
    /// the timestamp of the first sample, which the HPA reports as the metric's time.
    static func podMetricsInfo(_ samples: [PodMetrics], resource: String, container: String?) throws -> (PodMetricsInfo, Date) {
        guard let first = samples.first else { throw HPAError("no metrics returned from resource metrics API") }
        if let container, !container.isEmpty {
            return (try containerMetrics(samples, resource: resource, container: container), first.timestamp)
        }
        return (podMetrics(samples, resource: resource), first.timestamp)
    }

    /// A pod counts only when every container reported the resource; otherwise it is missing.
    static func podMetrics(_ samples: [PodMetrics], resource: String) -> PodMetricsInfo {
        var result: PodMetricsInfo = [:]
        for sample in samples {
            var missing = sample.containers.isEmpty
            var sum: Int64 = 0
            for c in sample.containers {
                guard let usage = c.usage[resource] else { missing = true; break }
                sum = sum.addingSaturated(usage.exactMilliValue)
            }
            if !missing { result[sample.name] = PodMetric(timestamp: sample.timestamp, window: sample.window, value: sum) }
        }
        return result
    }

    /// A pod without the named container is an error; one whose container lacks the resource is missing.
    static func containerMetrics(_ samples: [PodMetrics], resource: String, container: String) throws -> PodMetricsInfo {
        var result: PodMetricsInfo = [:]
        for sample in samples {
            guard let c = sample.containers.first(where: { $0.name == container }) else {
                throw HPAError("failed to get container metrics: container \(container) not present in metrics for pod \(sample.namespace)/\(sample.name)")
            }
            if let usage = c.usage[resource] {
                result[sample.name] = PodMetric(timestamp: sample.timestamp, window: sample.window, value: usage.exactMilliValue)
            }
        }
        return result
    }
}
