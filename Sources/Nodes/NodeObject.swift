import Foundation
import KubeClient
import KubeModel

/// The Node and Lease objects a simulated kubelet registers and keeps, shaped like a real one's.
enum NodeObject {
    static func make(name: String, index: Int, group: NodeGroup, config: FleetConfig) -> JSONValue {
        let cidr = JSONValue.string(config.podCIDR(node: index))
        var labels: [String: JSONValue] = [
            "kubernetes.io/hostname": .string(name), "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64",
            "beta.kubernetes.io/os": "linux", "beta.kubernetes.io/arch": "amd64", "type": "kplane-simulated",
        ]
        for (k, v) in group.labels { labels[k] = .string(v) }
        var spec: JSONValue = ["podCIDR": cidr, "podCIDRs": [cidr]]
        if !group.taints.isEmpty { spec["taints"] = .array(group.taints.map(\.json)) }
        return [
            "apiVersion": "v1", "kind": "Node",
            "metadata": ["name": .string(name), "labels": .object(labels), "annotations": ["node.alpha.kubernetes.io/ttl": "0"]],
            "spec": spec,
        ]
    }

    static func status(name: String, index: Int, group: NodeGroup, config: FleetConfig, now: Date) -> JSONValue {
        let resources: JSONValue = ["cpu": .string(group.cpu), "memory": .string(group.memory), "pods": .string(String(group.maxPods)),
                                    "ephemeral-storage": "100Gi", "hugepages-2Mi": "0"]
        return [
            "capacity": resources, "allocatable": resources,
            "conditions": healthyConditions(now: now),
            "addresses": [["type": "InternalIP", "address": .string(config.internalIP(node: index))], ["type": "Hostname", "address": .string(name)]],
            "daemonEndpoints": ["kubeletEndpoint": ["Port": 10250]],
            "nodeInfo": [
                "machineID": .string(FastRandom.uuid().replacingOccurrences(of: "-", with: "")),
                "systemUUID": .string(FastRandom.uuid()), "bootID": .string(FastRandom.uuid()),
                "kernelVersion": "6.1.0-kplane", "osImage": "kplane simulated node", "containerRuntimeVersion": "kplane://0.1.0",
                "kubeletVersion": "v1.32.0", "kubeProxyVersion": "v1.32.0", "operatingSystem": "linux", "architecture": "amd64",
            ],
        ]
    }

    /// The node's heartbeat in `kube-node-lease`, as the kubelet keeps it.
    static func lease(name: String, durationSeconds: Int64, now: Date) -> JSONValue {
        ["apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
         "metadata": ["name": .string(name), "namespace": "kube-node-lease"],
         "spec": ["holderIdentity": .string(name), "leaseDurationSeconds": .int(durationSeconds),
                  "renewTime": .string(Timestamp.formatMicro(now))]]
    }

    /// Renews the node's Lease, creating it when it is missing.
    static func renewLease(client: APIClient, name: String, durationSeconds: Int64, now: Date) async throws {
        let renew: JSONValue = ["spec": ["holderIdentity": .string(name), "renewTime": .string(Timestamp.formatMicro(now)),
                                         "leaseDurationSeconds": .int(durationSeconds)]]
        do {
            _ = try await client.patch(.leases, namespace: "kube-node-lease", name: name, renew, type: "application/merge-patch+json")
        } catch let e as APIStatusError where e.code == 404 {
            _ = try await client.create(.leases, namespace: "kube-node-lease", lease(name: name, durationSeconds: durationSeconds, now: now))
        }
    }

    /// A status report over the Node as stored, as the kubelet's setters make it: a condition
    /// whose status is unchanged keeps its `lastTransitionTime`, and the node keeps its
    /// identity (`machineID`, `systemUUID`, `bootID`: a new boot ID would say it rebooted).
    static func carryingOver(_ status: JSONValue, from node: JSONValue, keepingIdentity: Bool = true) -> JSONValue {
        var status = status
        let old = Node(node).status
        if let conditions = status["conditions"]?.arrayValue {
            status["conditions"] = .array(conditions.map { c in
                guard let before = old.conditions[type: Condition(c).type], before.status == Condition(c).status,
                      let time = before.json["lastTransitionTime"] else { return c }
                var kept = c
                kept["lastTransitionTime"] = time
                return kept
            })
        }
        guard keepingIdentity, let info = old.nodeInfo?.objectValue else { return status }
        for id in ["machineID", "systemUUID", "bootID"] {
            if let v = info[id]?.stringValue, !v.isEmpty { status.set(["nodeInfo", id], .string(v)) }
        }
        return status
    }

    /// Whether the Node's stored Ready condition is True.
    static func isReady(_ node: JSONValue) -> Bool { Node(node).status.conditions[type: "Ready"]?.isTrue ?? false }

    /// The conditions of a healthy kubelet, stamped `now`.
    static func healthyConditions(now: Date) -> JSONValue {
        let t = JSONValue.string(Timestamp.format(now))
        func cond(_ type: String, _ status: String, _ reason: String, _ message: String) -> JSONValue {
            ["type": .string(type), "status": .string(status), "reason": .string(reason), "message": .string(message),
             "lastHeartbeatTime": t, "lastTransitionTime": t]
        }
        return [
            cond("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
            cond("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
            cond("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
            cond("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
        ]
    }
}
