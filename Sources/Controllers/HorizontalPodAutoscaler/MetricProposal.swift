import Foundation
import KubeModel

/// What the resource metrics API returned for the targeted pods: their samples, or the error
/// of the call (kplane serves resource metrics only; custom and external metrics have no API).
public enum ResourceMetricsReading: Sendable, Equatable {
    case samples([PodMetrics])
    case failed(String)
}

/// One metric's outcome (horizontal.go `computeReplicasForMetric`): a replica count with the
/// autoscaling/v2 MetricStatus to report, or the ScalingActive condition and warning event
/// explaining why it could not be computed.
enum MetricProposal: Equatable {
    case proposal(replicas: Int32, metricName: String, timestamp: Date, status: JSONValue)
    case failure(condition: HPAConditionUpdate, event: HPAEvent?, error: String)
}

extension ReplicaCalculator {
    func computeReplicasForMetric(_ spec: MetricSpec, specReplicas: Int32, tolerances: Tolerances, pods: [Pod],
                                  metrics: ResourceMetricsReading, now: Date) -> MetricProposal
    {
        func failure(_ reason: String, _ error: String, wrapped: String) -> MetricProposal {
            .failure(condition: HPAConditionUpdate(.scalingActive, false, reason, HPAMessage.unableToComputeReplicaCount(error)),
                     event: HPAEvent(type: "Warning", reason: reason, message: error), error: "\(wrapped): \(error)")
        }
        switch spec.type {
        case "Resource", "ContainerResource":
            let isContainer = spec.type == "ContainerResource"
            let source = isContainer ? spec.containerResource : spec.resource
            let reason = isContainer ? HPAReason.failedGetContainerResourceMetric : HPAReason.failedGetResourceMetric
            let wrapped = isContainer ? "failed to get \(source.container ?? "") container metric value" : "failed to get \(source.name) resource metric value"
            do {
                let (replicas, name, timestamp, current) = try resourceProposal(source, container: isContainer ? source.container ?? "" : nil,
                                                                                specReplicas: specReplicas, tolerances: tolerances,
                                                                                pods: pods, metrics: metrics, now: now)
                var body: JSONValue = ["name": .string(source.name), "current": current]
                if isContainer { body["container"] = .string(source.container ?? "") }
                let status: JSONValue = ["type": .string(spec.type), (isContainer ? "containerResource" : "resource"): body]
                return .proposal(replicas: replicas, metricName: name, timestamp: timestamp, status: status)
            } catch {
                return failure(reason, "\(error)", wrapped: wrapped)
            }
        case "Pods":
            let name = spec.pods.metric.name
            return failure(HPAReason.failedGetPodsMetric, "unable to get metric \(name): the custom metrics API is not served", wrapped: "failed to get pods metric value")
        case "Object":
            let name = spec.object.metric.name
            return failure(HPAReason.failedGetObjectMetric, "unable to get metric \(name): the custom metrics API is not served", wrapped: "failed to get object metric value")
        case "External":
            let name = spec.external.metric.name
            return failure(HPAReason.failedGetExternalMetric, "unable to get external metric \(name): the external metrics API is not served",
                           wrapped: "failed to get \(name) external metric value")
        default:
            // The API server's validation rejects other types; a stored object may still carry one.
            let error = "unknown metric source type \"\(spec.type)\""
            return .failure(condition: HPAConditionUpdate(.scalingActive, false, HPAReason.invalidMetricSourceType, HPAMessage.unableToComputeReplicaCount(error)),
                            event: HPAEvent(type: "Warning", reason: HPAReason.invalidMetricSourceType, message: error), error: error)
        }
    }

    /// computeStatusForResourceMetricGeneric: an average-value target when one is set, else a
    /// utilization target; returns the MetricValueStatus (`current`) to report.
    private func resourceProposal(_ source: ResourceMetricSource, container: String?, specReplicas: Int32, tolerances: Tolerances,
                                  pods: [Pod], metrics: ResourceMetricsReading, now: Date) throws -> (Int32, String, Date, JSONValue)
    {
        let resource = source.name
        let samples: [PodMetrics]
        switch metrics {
        case .samples(let s): samples = s
        case .failed(let message):
            let error = HPAError("unable to get metrics for resource \(resource): unable to fetch metrics from resource metrics API: \(message)")
            throw source.target.averageValue != nil ? error.wrapped("failed to get \(resource) usage") : error.wrapped("failed to get \(resource) utilization")
        }
        if let averageValue = source.target.averageValue {
            do {
                let r = try rawResourceReplicas(currentReplicas: specReplicas, targetUsage: averageValue.exactMilliValue, resource: resource,
                                                container: container, tolerances: tolerances, pods: pods, metrics: samples, now: now)
                return (r.replicas, HPAMetricName.resourceValue(resource), r.timestamp, ["averageValue": .string(Quantity.decimalSI(milli: r.usage))])
            } catch let error as HPAError {
                throw error.wrapped("failed to get \(resource) usage")
            }
        }
        guard let utilization = source.target.averageUtilization else {
            throw HPAError("invalid resource metric source: neither an average utilization target nor an average value (usage) target was set")
        }
        do {
            let r = try resourceReplicas(currentReplicas: specReplicas, targetUtilization: Int32(clamping: utilization), resource: resource,
                                         container: container, tolerances: tolerances, pods: pods, metrics: samples, now: now)
            let name = container == nil ? HPAMetricName.resourceUtilization(resource) : HPAMetricName.containerResourceUtilization(resource)
            let current: JSONValue = ["averageUtilization": .int(r.utilization), "averageValue": .string(Quantity.decimalSI(milli: r.rawAverageValue))]
            return (r.replicas, name, r.timestamp, current)
        } catch let error as HPAError {
            throw error.wrapped("failed to get \(resource) utilization")
        }
    }
}
