import Foundation
import KubeModel

/// Proposes a replica count from pod resource metrics, as kube-controller-manager's
/// ReplicaCalculator does (replica_calculator.go). Inputs are plain values: the pods the scale
/// target's selector picked, the resource metrics API's samples for them, and the time.
public struct ReplicaCalculator: Sendable {
    /// `--horizontal-pod-autoscaler-cpu-initialization-period` (default 5 minutes).
    public var cpuInitializationPeriod: TimeInterval
    /// `--horizontal-pod-autoscaler-initial-readiness-delay` (default 30 seconds).
    public var delayOfInitialReadinessStatus: TimeInterval

    public init(cpuInitializationPeriod: TimeInterval = 300, delayOfInitialReadinessStatus: TimeInterval = 30) {
        self.cpuInitializationPeriod = cpuInitializationPeriod
        self.delayOfInitialReadinessStatus = delayOfInitialReadinessStatus
    }

    /// A proposal against a utilization target.
    public struct ResourceReplicas: Sendable, Equatable {
        public var replicas: Int32
        /// Percent of the pods' requests.
        public var utilization: Int64
        /// Average usage per pod in milli-units.
        public var rawAverageValue: Int64
        public var timestamp: Date
    }

    /// A proposal against an average-value target.
    public struct RawResourceReplicas: Sendable, Equatable {
        public var replicas: Int32
        /// Average usage per pod in milli-units.
        public var usage: Int64
        public var timestamp: Date
    }

    /// GetResourceReplicas: the count that brings `resource` utilization (percent of request) to
    /// `targetUtilization`, for a `Resource` metric (containers summed) or, with `container`, a
    /// `ContainerResource` metric.
    public func resourceReplicas(currentReplicas: Int32, targetUtilization: Int32, resource: String, container: String? = nil,
                                 tolerances: Tolerances = Tolerances(), pods: [Pod], metrics samples: [PodMetrics], now: Date) throws -> ResourceReplicas
    {
        var metrics: PodMetricsInfo
        let timestamp: Date
        do {
            (metrics, timestamp) = try ResourceMetrics.podMetricsInfo(samples, resource: resource, container: container)
        } catch let error as HPAError {
            throw error.wrapped("unable to get metrics for resource \(resource)")
        }
        guard !pods.isEmpty else { throw HPAError("no pods returned by selector while calculating replica count") }

        let groups = PodGroups(pods: pods, metrics: metrics, resource: resource, cpuInitializationPeriod: cpuInitializationPeriod,
                               delayOfInitialReadinessStatus: delayOfInitialReadinessStatus, now: now)
        for name in groups.ignoredPods.union(groups.unreadyPods) { metrics[name] = nil }
        guard !metrics.isEmpty else { throw HPAError("did not receive metrics for targeted pods (pods might be unready)") }

        let requests = try PodRequests.calculate(pods, container: container, resource: resource)
        let (usageRatio, utilization, rawAverage) = try UsageRatio.resourceUtilization(metrics, requests: requests, targetUtilization: targetUtilization)
        func result(_ replicas: Int32) -> ResourceReplicas {
            ResourceReplicas(replicas: replicas, utilization: Int64(utilization), rawAverageValue: rawAverage, timestamp: timestamp)
        }

        let scaleUpWithUnready = !groups.unreadyPods.isEmpty && usageRatio > 1.0
        if !scaleUpWithUnready && groups.missingPods.isEmpty {
            // Too small a change keeps the current count; otherwise every pod was counted.
            if tolerances.isWithin(usageRatio) { return result(currentReplicas) }
            return result(ceilInt32(usageRatio * Double(groups.readyPodCount)))
        }

        if !groups.missingPods.isEmpty {
            if usageRatio < 1.0 {
                // On a scale-down, a missing pod uses all its request, or the target when that is higher.
                let fallbackUtilization = Int64(max(100, targetUtilization))
                for name in groups.missingPods {
                    // In 128 bits: a request may be as large as Int64 allows.
                    metrics[name] = PodMetric(value: Int64(clamping: Int128(requests[name] ?? 0) * Int128(fallbackUtilization) / 100))
                }
            } else if usageRatio > 1.0 {
                // On a scale-up, a missing pod uses nothing.
                for name in groups.missingPods { metrics[name] = PodMetric(value: 0) }
            }
        }
        if scaleUpWithUnready {
            // On a scale-up, an unready pod uses nothing.
            for name in groups.unreadyPods { metrics[name] = PodMetric(value: 0) }
        }

        let newUsageRatio = try UsageRatio.resourceUtilization(metrics, requests: requests, targetUtilization: targetUtilization).ratio
        return result(Self.rebalanced(currentReplicas: currentReplicas, usageRatio: usageRatio, newUsageRatio: newUsageRatio,
                                      podCount: metrics.count, tolerances: tolerances))
    }

    /// GetRawResourceReplicas: the count that brings the average usage of `resource` per pod to
    /// `targetUsage` (milli-units), for an `AverageValue` target.
    public func rawResourceReplicas(currentReplicas: Int32, targetUsage: Int64, resource: String, container: String? = nil,
                                    tolerances: Tolerances = Tolerances(), pods: [Pod], metrics samples: [PodMetrics], now: Date) throws -> RawResourceReplicas
    {
        let metrics: PodMetricsInfo
        let timestamp: Date
        do {
            (metrics, timestamp) = try ResourceMetrics.podMetricsInfo(samples, resource: resource, container: container)
        } catch let error as HPAError {
            throw error.wrapped("unable to get metrics for resource \(resource)")
        }
        let (replicas, usage) = try plainMetricReplicas(metrics, currentReplicas: currentReplicas, targetUsage: targetUsage,
                                                        tolerances: tolerances, pods: pods, resource: resource, now: now)
        return RawResourceReplicas(replicas: replicas, usage: usage, timestamp: timestamp)
    }

    /// calcPlainMetricReplicas: the average-value variant, where a missing pod counts as exactly
    /// on target when scaling down.
    func plainMetricReplicas(_ metrics: PodMetricsInfo, currentReplicas: Int32, targetUsage: Int64, tolerances: Tolerances,
                             pods: [Pod], resource: String, now: Date) throws -> (replicas: Int32, usage: Int64)
    {
        guard !pods.isEmpty else { throw HPAError("no pods returned by selector while calculating replica count") }
        var metrics = metrics
        let groups = PodGroups(pods: pods, metrics: metrics, resource: resource, cpuInitializationPeriod: cpuInitializationPeriod,
                               delayOfInitialReadinessStatus: delayOfInitialReadinessStatus, now: now)
        for name in groups.ignoredPods.union(groups.unreadyPods) { metrics[name] = nil }
        guard !metrics.isEmpty else { throw HPAError("did not receive metrics for targeted pods (pods might be unready)") }

        let (usageRatio, usage) = UsageRatio.metricUsage(metrics, targetUsage: targetUsage)
        let scaleUpWithUnready = !groups.unreadyPods.isEmpty && usageRatio > 1.0
        if !scaleUpWithUnready && groups.missingPods.isEmpty {
            if tolerances.isWithin(usageRatio) { return (currentReplicas, usage) }
            return (ceilInt32(usageRatio * Double(groups.readyPodCount)), usage)
        }
        if !groups.missingPods.isEmpty {
            if usageRatio < 1.0 {
                for name in groups.missingPods { metrics[name] = PodMetric(value: targetUsage) }
            } else if usageRatio > 1.0 {
                for name in groups.missingPods { metrics[name] = PodMetric(value: 0) }
            }
        }
        if scaleUpWithUnready {
            for name in groups.unreadyPods { metrics[name] = PodMetric(value: 0) }
        }
        let newUsageRatio = UsageRatio.metricUsage(metrics, targetUsage: targetUsage).ratio
        let replicas = Self.rebalanced(currentReplicas: currentReplicas, usageRatio: usageRatio, newUsageRatio: newUsageRatio,
                                       podCount: metrics.count, tolerances: tolerances)
        return (replicas, usage)
    }

    /// After filling in missing and unready pods: keep the current count when the change is
    /// within tolerance, or when the filled-in numbers, or the larger pod count, would reverse
    /// the direction the observed pods asked for.
    static func rebalanced(currentReplicas: Int32, usageRatio: Double, newUsageRatio: Double, podCount: Int, tolerances: Tolerances) -> Int32 {
        if tolerances.isWithin(newUsageRatio) || (usageRatio < 1.0 && newUsageRatio > 1.0) || (usageRatio > 1.0 && newUsageRatio < 1.0) {
            return currentReplicas
        }
        let newReplicas = ceilInt32(newUsageRatio * Double(podCount))
        if (newUsageRatio < 1.0 && newReplicas > currentReplicas) || (newUsageRatio > 1.0 && newReplicas < currentReplicas) {
            return currentReplicas
        }
        return newReplicas
    }
}

/// `int32(math.Ceil(x))` without trapping: clamped to the int32 range.
func ceilInt32(_ x: Double) -> Int32 {
    let c = x.rounded(.up)
    if c.isNaN { return 0 }
    if c >= Double(Int32.max) { return Int32.max }
    if c <= Double(Int32.min) { return Int32.min }
    return Int32(c)
}
