import Foundation
import KubeModel

/// The targeted pods sorted by how their samples may be trusted (replica_calculator.go
/// `groupPods`): ready pods count as they are; unready pods are set aside unless the metric
/// says scale up, when they count as idle; missing pods are filled in with a value that cannot
/// flip the direction; ignored pods (being deleted, or failed) never count.
struct PodGroups: Equatable {
    var readyPodCount = 0
    var unreadyPods: Set<String> = []
    var missingPods: Set<String> = []
    var ignoredPods: Set<String> = []

    /// Only CPU samples are distrusted around start-up: a container burns CPU while it
    /// initializes, which would scale up for no load. Within `cpuInitializationPeriod` of the
    /// pod's start, a sample counts only from a ready pod, and only if a whole metric window has
    /// passed since it became ready; after it, a pod that is unready and has never been ready
    /// (its readiness last changed within `delayOfInitialReadinessStatus` of its start) is set aside.
    init(pods: [Pod], metrics: PodMetricsInfo, resource: String, cpuInitializationPeriod: TimeInterval,
         delayOfInitialReadinessStatus: TimeInterval, now: Date)
    {
        for pod in pods {
            let name = pod.metadata.name
            let phase = pod.status.phase ?? ""
            if pod.metadata.isDeleting || phase == "Failed" {
                ignoredPods.insert(name)
                continue
            }
            if phase == "Pending" {
                unreadyPods.insert(name)
                continue
            }
            guard let metric = metrics[name] else {
                missingPods.insert(name)
                continue
            }
            if resource == "cpu" {
                let unready: Bool
                if let ready = pod.status.conditions[type: "Ready"], let start = pod.status.startTime {
                    let transition = ready.lastTransitionTime ?? .distantPast
                    if start.addingTimeInterval(cpuInitializationPeriod) > now {
                        unready = ready.status == "False" || metric.timestamp < transition.addingTimeInterval(metric.window)
                    } else {
                        unready = ready.status == "False" && start.addingTimeInterval(delayOfInitialReadinessStatus) > transition
                    }
                } else {
                    unready = true
                }
                if unready {
                    unreadyPods.insert(name)
                    continue
                }
            }
            readyPodCount += 1
        }
    }

    init(readyPodCount: Int, unreadyPods: Set<String>, missingPods: Set<String>, ignoredPods: Set<String>) {
        self.readyPodCount = readyPodCount
        self.unreadyPods = unreadyPods
        self.missingPods = missingPods
        self.ignoredPods = ignoredPods
    }
}
