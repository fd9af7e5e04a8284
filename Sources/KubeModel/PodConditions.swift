import Foundation

/// The questions controllers ask of a pod, answered as `k8s.io/kubernetes/pkg/api/v1/pod` does.
public enum PodConditions {
    public static func phase(_ pod: JSONValue) -> String { pod[path: ["status", "phase"]]?.stringValue ?? "Pending" }

    /// Counted by its owner: not finished and not being deleted.
    public static func isActive(_ pod: JSONValue) -> Bool {
        let p = phase(pod)
        return p != "Succeeded" && p != "Failed" && !pod.isDeleting
    }

    public static func isReady(_ pod: JSONValue) -> Bool { pod.condition("Ready")?["status"]?.stringValue == "True" }

    public static func readySince(_ pod: JSONValue) -> Date? {
        guard isReady(pod) else { return nil }
        return pod.condition("Ready")?["lastTransitionTime"]?.stringValue.flatMap(Timestamp.parse)
    }

    /// Ready for at least `minReadySeconds` (strictly longer, as Kubernetes compares).
    public static func isAvailable(_ pod: JSONValue, minReadySeconds: Int64, now: Date) -> Bool {
        guard isReady(pod) else { return false }
        if minReadySeconds == 0 { return true }
        guard let since = readySince(pod) else { return false }
        return since.addingTimeInterval(TimeInterval(minReadySeconds)) < now
    }

    public static func restarts(_ pod: JSONValue) -> Int64 {
        (pod[path: ["status", "containerStatuses"]]?.arrayValue ?? []).reduce(0) { $0 + ($1["restartCount"]?.intValue ?? 0) }
    }
}
