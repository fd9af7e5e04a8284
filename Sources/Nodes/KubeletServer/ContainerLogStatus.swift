import Foundation
import KubeModel

/// The kubelet's checks before it reads a container's log (validateContainerLogStatus), from the
/// pod's status: a container that has not started yet has no log, in the kubelet's words.
enum ContainerLogStatus {
    /// nil when there is a log to read; else the kubelet's error text (served as a 400).
    static func problem(pod: JSONValue, container: String, previous: Bool) -> String? {
        let podName = pod[path: ["metadata", "name"]]?.stringValue ?? ""
        let quoted = "container \(Self.quote(container)) in pod \(Self.quote(podName))"
        let lists = ["containerStatuses", "initContainerStatuses", "ephemeralContainerStatuses"]
        let statuses = lists.lazy.compactMap { pod[path: ["status", $0]]?.arrayValue }.joined()
        guard let status = statuses.first(where: { $0["name"]?.stringValue == container }) else {
            return "\(quoted) is not available"
        }
        let lastTerminated = status[path: ["lastState", "terminated"]]
        let lastID = lastTerminated?["containerID"]?.stringValue ?? ""
        let state = status["state"]
        if previous {
            return lastTerminated == nil || lastID.isEmpty ? "previous terminated container \(Self.quote(container)) in pod \(Self.quote(podName)) not found" : nil
        }
        if state?["running"] != nil { return nil }
        if let terminated = state?["terminated"] {
            // A container whose next instance never started reads the last one's log.
            if (terminated["containerID"]?.stringValue ?? "").isEmpty && (lastTerminated == nil || lastID.isEmpty) {
                return "\(quoted) is terminated"
            }
            return nil
        }
        if lastTerminated != nil { return lastID.isEmpty ? "\(quoted) is terminated" : nil }
        if let waiting = state?["waiting"] {
            switch waiting["reason"]?.stringValue ?? "" {
            case "ErrImagePull": return "\(quoted) is waiting to start: image can't be pulled"
            case "ImagePullBackOff": return "\(quoted) is waiting to start: trying and failing to pull image"
            case let reason: return "\(quoted) is waiting to start: \(reason)"
            }
        }
        return "\(quoted) is waiting to start - no logs yet"
    }

    /// Go's %q for the names Kubernetes allows (DNS labels need no escapes).
    static func quote(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// Whether the pod's spec names the container (kubecontainer.GetContainerSpec).
    static func hasContainer(pod: JSONValue, _ name: String) -> Bool {
        ["containers", "initContainers", "ephemeralContainers"].contains { list in
            (pod[path: ["spec", list]]?.arrayValue ?? []).contains { $0["name"]?.stringValue == name }
        }
    }
}
