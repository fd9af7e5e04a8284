import Foundation
import KubeClient
import KubeModel

/// Where pods share the host's network (loopback mode: no network namespaces, each pod a
/// 127.x.y.z of its own), a process listening on the wildcard address (0.0.0.0 or ::) holds its
/// port on every pod's address, and the next pod to listen on that port fails with EADDRINUSE.
/// The kubelet says so in the pods' events, with its reason for a port another pod holds
/// (`HostPortConflict`): on the pod that listens so, a few seconds after its container starts,
/// and on a pod whose container exits with an error while one of its containerPorts is held so.
extension ProcessKubelet {
    static let portConflictReason = "HostPortConflict"
    /// When a container's listeners are looked at, in seconds after its start (a server may take
    /// a while to listen, longer on a loaded machine); once a listener is reported, no more.
    static let listenerChecks: [TimeInterval] = [2, 5, 10, 20, 40, 60]
    /// Containers whose sockets are looked at when finding who holds a port.
    static let ownerSearchLimit = 512

    var podsShareHostNetwork: Bool { network is LoopbackPodNetwork }

    /// Warns, once per instance, when it listens on a wildcard address.
    func checkWildcardListeners(_ pod: JSONValue, _ c: Container, _ running: RunningContainer) {
        guard podsShareHostNetwork else { return }
        let uid = pod.uid
        Task {
            var elapsed: TimeInterval = 0
            for at in Self.listenerChecks {
                guard (try? await clock.sleep(for: at - elapsed)) != nil else { return }
                elapsed = at
                let record = records.get(uid)
                guard let record, (record.containers[c.name] ?? record.initContainers[c.name])?.running?.containerID == running.containerID else { return }
                let held = (try? await Blocking.run {
                    SocketOwners.listeners(of: Self.processes(of: running), among: TCPListeners.byInode().filter { $0.value.isWildcard })
                }) ?? []
                guard let listener = held.min(by: { $0.port < $1.port }) else { continue }
                let ip = record.ip ?? ""
                recorder.event(pod, of: .pods, type: "Warning", reason: Self.portConflictReason, message:
                    "Container \(c.name) listens on \(listener.endpoint), every address of the host: pods share the host's network here "
                    + "(loopback pod network), so this takes port \(listener.port) from every other pod; listen on $POD_IP (\(ip)) instead")
                return
            }
        }
    }

    /// After a container exits with an error: says which wildcard listener holds its ports, if any.
    func checkPortConflicts(_ pod: JSONValue, _ c: Container, exitCode: Int32) {
        guard podsShareHostNetwork else { return }
        let ports = Set(c.ports.filter { ($0.protocol ?? "TCP") == "TCP" && $0.containerPort > 0 }.map { Int($0.containerPort) })
        guard !ports.isEmpty else { return }
        let running = records.all.sorted { ($0.namespace, $0.name) < ($1.namespace, $1.name) }.flatMap { r in
            (r.initContainers.sorted { $0.key < $1.key } + r.containers.sorted { $0.key < $1.key }).compactMap { name, cr in
                cr.running.map { (owner: "pod \(r.namespace)/\(r.name) (container \(name))", processes: $0) }
            }
        }.prefix(Self.ownerSearchLimit)
        Task {
            let conflicts = (try? await Blocking.run { () -> [(TCPListener, String?)] in
                let listeners = TCPListeners.byInode().filter { ports.contains($0.value.port) && $0.value.isWildcard }
                var owners: [TCPListener: String] = [:]
                for candidate in running where owners.count < Set(listeners.values).count {
                    for l in SocketOwners.listeners(of: Self.processes(of: candidate.processes), among: listeners) where owners[l] == nil {
                        owners[l] = candidate.owner
                    }
                }
                return Set(listeners.values).sorted { ($0.port, $0.address) < ($1.port, $1.address) }.map { ($0, owners[$0]) }
            }) ?? []
            for (listener, owner) in conflicts {
                recorder.event(pod, of: .pods, type: "Warning", reason: Self.portConflictReason, message:
                    "Container \(c.name) exited with code \(exitCode) while its port \(listener.port) is held by "
                    + "\(owner ?? "a process of the host that is no container of this node"), listening on \(listener.endpoint): "
                    + "pods share the host's network here (loopback pod network), so a process listening on every address takes "
                    + "the port from every pod; each should listen on its $POD_IP")
            }
        }
    }

    /// A container's processes: its cgroup's, else its process and their descendants.
    static func processes(of running: RunningContainer) -> [pid_t] {
        let pids = running.cgroup?.pids ?? []
        return pids.isEmpty ? ProcessTree.members(of: running.pid, limit: SocketOwners.processLimit) : pids
    }
}

extension TCPListener {
    /// `0.0.0.0:3000`, `[::]:3000`.
    var endpoint: String { address.contains(":") ? "[\(address)]:\(port)" : "\(address):\(port)" }
}
