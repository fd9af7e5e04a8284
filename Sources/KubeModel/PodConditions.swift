import Foundation

/// The questions controllers ask of a pod, answered as `k8s.io/kubernetes/pkg/api/v1/pod` does.
public enum PodConditions {
    public static func phase(_ pod: JSONValue) -> String { Pod(pod).status.phase ?? "Pending" }

    /// Counted by its owner: not finished and not being deleted.
    public static func isActive(_ pod: JSONValue) -> Bool {
        let p = phase(pod)
        return p != "Succeeded" && p != "Failed" && !pod.isDeleting
    }

    public static func isReady(_ pod: JSONValue) -> Bool { Pod(pod).status.conditions[type: "Ready"]?.isTrue == true }

    public static func readySince(_ pod: JSONValue) -> Date? {
        guard let ready = Pod(pod).status.conditions[type: "Ready"], ready.isTrue else { return nil }
        return ready.lastTransitionTime
    }

    /// Ready for at least `minReadySeconds` (strictly longer, as Kubernetes compares).
    public static func isAvailable(_ pod: JSONValue, minReadySeconds: Int64, now: Date) -> Bool {
        guard isReady(pod) else { return false }
        if minReadySeconds == 0 { return true }
        guard let since = readySince(pod) else { return false }
        return since.addingTimeInterval(TimeInterval(minReadySeconds)) < now
    }

    public static func restarts(_ pod: JSONValue) -> Int64 {
        Pod(pod).status.containerStatuses.reduce(0) { $0 + $1.restartCount }
    }
}
