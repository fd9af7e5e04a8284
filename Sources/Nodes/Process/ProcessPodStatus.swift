import Foundation
import KubeModel

/// The status the kubelet reports for a pod from what runs (`kubelet_pods.go`
/// generateAPIPodStatus and getPhase): phase, conditions, IPs and each container's state.
struct ProcessPodStatus {
    let pod: JSONValue
    let record: PodRecord
    let hostIP: String
    let now: Date

    var spec: Pod.Spec { Pod(pod).spec }

    func containerStatus(_ c: Container, _ r: ContainerRecord?, initContainer: Bool) -> JSONValue {
        let r = r ?? ContainerRecord()
        var s: JSONValue = [
            "name": .string(c.name), "image": .string(r.image.isEmpty ? PodStatus.qualified(c.image) : r.image),
            "imageID": .string(r.imageID), "ready": .bool(r.isReady),
            "restartCount": .int(Int64(r.restartCount)), "started": .bool(r.running != nil && r.started),
        ]
        if let running = r.running {
            s["state"] = ["running": ["startedAt": .string(Timestamp.format(running.startedAt))]]
            s["containerID"] = .string(running.containerID)
            if let last = r.lastTerminated { s["lastState"] = ["terminated": last.json] }
        } else if let waiting = r.waiting {
            var w: JSONValue = ["reason": .string(waiting.reason == "ContainerCreating" ? defaultWaitingReason : waiting.reason)]
            if let m = waiting.message { w["message"] = .string(m) }
            s["state"] = ["waiting": w]
            if let last = r.lastTerminated {
                s["lastState"] = ["terminated": last.json]
                s["containerID"] = .string(last.containerID)
            }
        } else if let last = r.lastTerminated {
            s["state"] = ["terminated": last.json]
            s["containerID"] = .string(last.containerID)
        } else {
            s["state"] = ["waiting": ["reason": .string(defaultWaitingReason)]]
        }
        if initContainer { s["started"] = .bool(r.running != nil) }
        return s
    }

    /// What a container the runtime has not made yet waits for (convertToAPIContainerStatuses):
    /// in a pod with init containers, `PodInitializing` until it starts.
    var defaultWaitingReason: String { spec.initContainers.isEmpty ? "ContainerCreating" : "PodInitializing" }

    /// Whether every init container has completed.
    var initialized: Bool {
        spec.initContainers.allSatisfy { record.initContainers[$0.name]?.lastTerminated?.exitCode == 0 && record.initContainers[$0.name]?.running == nil }
    }

    var phase: String {
        let policy = spec.restartPolicy ?? "Always"
        for c in spec.initContainers {
            let r = record.initContainers[c.name]
            if let t = r?.lastTerminated, r?.running == nil, t.exitCode != 0, policy == "Never" { return "Failed" }
        }
        if !initialized { return "Pending" }
        var waiting = 0, running = 0, stopped = 0, succeeded = 0
        for c in spec.containers {
            guard let r = record.containers[c.name] else { waiting += 1; continue }
            if r.running != nil {
                running += 1
            } else if let t = r.lastTerminated {
                stopped += 1
                if t.exitCode == 0 { succeeded += 1 }
            } else {
                waiting += 1
            }
        }
        if waiting > 0 { return "Pending" }
        if running > 0 { return "Running" }
        if stopped > 0 {
            if policy == "Always" { return "Running" }
            if stopped == succeeded { return "Succeeded" }
            if policy == "Never" { return "Failed" }
            return "Running"
        }
        return "Pending"
    }

    /// A condition, keeping its transition time while its status stays the same.
    func condition(_ type: String, _ ok: Bool, reason: String? = nil, message: String? = nil) -> JSONValue {
        let old = Pod(pod).status.conditions[type: type]
        let status = ok ? "True" : "False"
        let since = old?.status == status ? old?.lastTransitionTime ?? now : now
        var c: JSONValue = ["type": .string(type), "status": .string(status), "lastTransitionTime": .string(Timestamp.format(since)),
                            "lastProbeTime": .null]
        if let reason { c["reason"] = .string(reason) }
        if let message { c["message"] = .string(message) }
        return c
    }

    var json: JSONValue {
        let phase = self.phase
        let finished = phase == "Succeeded" || phase == "Failed"
        let notReady = spec.containers.filter { c in
            guard let r = record.containers[c.name] else { return true }
            return !r.isReady
        }.map(\.name)
        let incompleteInit = spec.initContainers.filter { record.initContainers[$0.name]?.lastTerminated?.exitCode != 0 }.map(\.name)
        var conditions: [JSONValue] = [condition("PodReadyToStartContainers", record.ip != nil && !finished)]
        conditions.append(initialized
            ? condition("Initialized", true)
            : condition("Initialized", false, reason: "ContainersNotInitialized", message: "containers with incomplete status: [\(incompleteInit.joined(separator: " "))]"))
        for type in ["Ready", "ContainersReady"] {
            if finished {
                conditions.append(condition(type, false, reason: "PodCompleted"))
            } else if notReady.isEmpty {
                conditions.append(condition(type, true))
            } else {
                conditions.append(condition(type, false, reason: "ContainersNotReady", message: "containers with unready status: [\(notReady.joined(separator: " "))]"))
            }
        }
        conditions.append(Pod(pod).status.conditions[type: "PodScheduled"]?.json
            ?? condition("PodScheduled", true))
        var status: JSONValue = [
            "phase": .string(phase), "conditions": .array(conditions),
            "hostIP": .string(hostIP), "hostIPs": [["ip": .string(hostIP)]],
            "containerStatuses": .array(spec.containers.map { containerStatus($0, record.containers[$0.name], initContainer: false) }),
        ]
        if !spec.initContainers.isEmpty {
            status["initContainerStatuses"] = .array(spec.initContainers.map { containerStatus($0, record.initContainers[$0.name], initContainer: true) })
        }
        if let start = record.startTime { status["startTime"] = .string(Timestamp.format(start)) }
        if let ip = record.ip {
            status["podIP"] = .string(ip)
            status["podIPs"] = [["ip": .string(ip)]]
        }
        if let qos = Pod(pod).status.qosClass { status["qosClass"] = .string(qos) }
        return status
    }
}
