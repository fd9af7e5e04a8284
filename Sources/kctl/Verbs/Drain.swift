import ArgumentParser
import Foundation
import KubeClient
import KubeModel

/// `drain`: cordon the node, then evict every pod on it (through `pods/eviction`, or DELETE
/// when the server offers no eviction), waiting for each to go, with kubectl's refusals for
/// DaemonSet pods, pods without a controller and pods with local storage.
struct Drain: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "drain", abstract: "Drain node in preparation for maintenance.")
    @OptionGroup var global: GlobalOptions
    @Argument var node: String
    @Flag(name: .customLong("ignore-daemonsets")) var ignoreDaemonSets = false
    @Flag var force = false
    @Flag(name: .customLong("delete-emptydir-data")) var deleteEmptyDirData = false
    @Option(name: .customLong("grace-period")) var gracePeriod: Int = -1
    @Option var timeout: String = "0s"
    @Flag(name: .customLong("disable-eviction")) var disableEviction = false
    @Option(name: .customLong("pod-selector")) var podSelector: String?

    /// What drain does with one pod, in kubectl's filter order.
    enum Verdict: Equatable {
        case delete
        case skip
        case warn(String)
        case refuse(String)
    }

    func verdict(_ pod: JSONValue) -> Verdict {
        let pod = Pod(pod), phase = pod.status.phase
        if pod.metadata.isDeleting || phase == "Succeeded" || phase == "Failed" { return .delete }
        if pod.metadata.annotations["kubernetes.io/config.mirror"] != nil { return .skip }
        let controller = pod.metadata.controllerRef
        if controller?.kind == "DaemonSet" {
            return ignoreDaemonSets ? .warn("ignoring DaemonSet-managed Pods") : .refuse("cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore)")
        }
        if pod.spec.volumes.contains(where: \.isEmptyDir) && !deleteEmptyDirData {
            return .refuse("cannot delete Pods with local storage (use --delete-emptydir-data to override)")
        }
        if controller == nil {
            return force ? .warn("deleting Pods that declare no controller") : .refuse("cannot delete Pods that declare no controller (use --force to override)")
        }
        return .delete
    }

    func run() async throws {
        try await Kctl.guarded {
            let session = try global.session()
            let name = try Cordoning.nodeName(node)
            let nodeObject = try await session.client.call("GET", APIResource.nodes.path(namespace: nil, name: name))
            let changed = try await Cordoning.set(session, nodeObject, unschedulable: true)
            Terminal.line("node/\(name) \(changed ? "cordoned" : "already cordoned")")
            var query = [("fieldSelector", "spec.nodeName=\(name)")]
            if let podSelector { query.append(("labelSelector", podSelector)) }
            let pods = ObjectList(try await session.client.call("GET", APIResource.pods.path(namespace: nil), query: query)).items
            var refusals: [(String, [String])] = [], warnings: [(String, [String])] = []
            var doomed: [JSONValue] = []
            for pod in pods {
                let id = "\(pod.metaNamespace)/\(pod.metaName)"
                switch verdict(pod) {
                case .delete: doomed.append(pod)
                case .skip: break
                case .warn(let w):
                    Self.add(&warnings, w, id)
                    if w.hasPrefix("deleting") { doomed.append(pod) }
                case .refuse(let r): Self.add(&refusals, r, id)
                }
            }
            if !refusals.isEmpty {
                let message = "cannot delete " + refusals.map { "\($0.0): \($0.1.joined(separator: ", "))" }.joined(separator: ", ")
                Terminal.err("error: unable to drain node \"\(name)\" due to error: \(message), continuing command...")
                Terminal.err("There are pending nodes to be drained:\n \(name)")
                Terminal.err(message)
                throw ExitCode(1)
            }
            for (w, ids) in warnings { Terminal.err("Warning: \(w): \(ids.joined(separator: ", "))") }
            try await evict(session, doomed)
            Terminal.line("node/\(name) drained")
        }
    }

    /// As kubectl's CheckEvictionSupport: /api/v1 lists `pods/eviction` with its group.
    static func supportsEviction(_ session: Session) async throws -> Bool {
        let list = try await session.client.call("GET", "/api/v1")
        return (list["resources"]?.arrayValue ?? []).contains {
            $0["name"] == "pods/eviction" && $0["kind"] == "Eviction" && !($0["group"]?.stringValue ?? "").isEmpty
        }
    }

    static func add(_ list: inout [(String, [String])], _ reason: String, _ id: String) {
        if let i = list.firstIndex(where: { $0.0 == reason }) { list[i].1.append(id) } else { list.append((reason, [id])) }
    }

    func evict(_ session: Session, _ pods: [JSONValue]) async throws {
        let eviction = disableEviction ? false : try await Self.supportsEviction(session)
        for pod in pods where !pod.isDeleting {
            let path = APIResource.pods.path(namespace: pod.metaNamespace, name: pod.metaName)
            var options: JSONValue = ["apiVersion": "v1", "kind": "DeleteOptions"]
            if gracePeriod >= 0 { options["gracePeriodSeconds"] = .int(Int64(gracePeriod)) }
            do {
                if eviction {
                    Terminal.line("evicting pod \(pod.metaNamespace)/\(pod.metaName)")
                    let body: JSONValue = ["apiVersion": "policy/v1", "kind": "Eviction",
                                           "metadata": ["name": .string(pod.metaName), "namespace": .string(pod.metaNamespace)], "deleteOptions": options]
                    _ = try await session.client.call("POST", path + "/eviction", body: body)
                } else {
                    _ = try await session.client.call("DELETE", path, body: options)
                }
            } catch let e as APIStatusError where e.code == 404 {}
        }
        // Wait until each pod is gone (or replaced by another of the same name).
        let limit = RolloutStatus.seconds(timeout)
        let deadline = limit > 0 ? Date().addingTimeInterval(limit) : .distantFuture
        for pod in pods {
            let path = APIResource.pods.path(namespace: pod.metaNamespace, name: pod.metaName)
            while true {
                let current = try? await session.client.call("GET", path)
                if current == nil || current?.uid != pod.uid { break }
                if Date() > deadline {
                    throw KctlError("unable to drain node due to error: error when waiting for pod \"\(pod.metaName)\" in namespace \"\(pod.metaNamespace)\" to terminate: global timeout reached: \(timeout)")
                }
                try await Task.sleep(for: .milliseconds(100))
            }
            Terminal.line("pod/\(pod.metaName) \(eviction ? "evicted" : "deleted")")
        }
    }
}
