import Foundation
import KubeModel

/// Where the kubelet's server finds a running container to exec in or attach to; the process
/// kubelet implements it.
public protocol ContainerExecSource: Sendable {
    /// The container's running instance; nil when the kubelet has the pod but the container
    /// is not running (not started yet, or ended).
    func execTarget(namespace: String, pod: String, container: String) -> ExecTarget?

    /// The container's running instance to attach to; nil when it is not running.
    func attachTarget(namespace: String, pod: String, container: String) -> AttachTarget?

    /// Where port-forward connects for a pod the kubelet runs; nil: no such pod (or no sandbox yet).
    func portForwardTarget(namespace: String, pod: String) -> PortForwardTarget?

    /// The pod as the kubelet knows it; nil: no such pod here.
    func pod(namespace: String, name: String) -> JSONValue?
}

/// Where port-forward connects for a pod: localhost in its network namespace, or (a pod
/// without one, on a loopback address) its own address.
public struct PortForwardTarget: Sendable {
    let podUID: String
    /// The pod's network namespace (a /run/netns file); nil: none of its own.
    let netnsPath: String?
    /// What "localhost" is for the pod: 127.0.0.1 in its namespace, else its loopback address.
    let host: String
}
