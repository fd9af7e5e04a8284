import Foundation
import KubeModel

/// Where the kubelet's server finds container logs; the process kubelet implements it.
public protocol ContainerLogSource: Sendable {
    /// The log file of a container instance (previous: the last terminated one) and whether it
    /// still runs. `running` turns false only once the instance's `ContainerLog.finished()` has
    /// returned, so a follower that sees it stop has already been able to read every line.
    func logFile(namespace: String, pod: String, container: String, previous: Bool) -> (path: String, running: Bool)?

    /// The pod as the kubelet knows it (spec and status), for the checks the kubelet makes
    /// before it reads a log (`container "x" in pod "y" is waiting to start: ...`). nil: the
    /// kubelet has no such pod.
    func pod(namespace: String, name: String) -> JSONValue?
}

extension ContainerLogSource {
    /// A source that knows only files: a pod exists when one of its containers has a log.
    public func pod(namespace: String, name: String) -> JSONValue? { nil }
}
