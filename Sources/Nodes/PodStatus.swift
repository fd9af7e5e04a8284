import Foundation
import KubeModel

/// The status a kubelet reports for a running pod: phase, conditions, IPs and one running
/// state per container.
enum PodStatus {
    static func running(_ pod: JSONValue, hostIP: String, podIP: String, started: Date, ready: Bool, readySince: Date?, now: Date) -> JSONValue {
        let startStamp = JSONValue.string(Timestamp.format(started))
        let containers = Pod(pod).spec.containers
        let names = containers.map(\.name)
        let scheduled = pod.condition("PodScheduled") ?? ["type": "PodScheduled", "status": "True", "lastTransitionTime": startStamp]
        let readyStamp = JSONValue.string(Timestamp.format(readySince ?? started))
        func readiness(_ type: String) -> JSONValue {
            var c: JSONValue = ["type": .string(type), "status": ready ? "True" : "False", "lastTransitionTime": readyStamp]
            if !ready {
                c["reason"] = "ContainersNotReady"
                c["message"] = .string("containers with unready status: [\(names.joined(separator: " "))]")
            }
            return c
        }
        let statuses: [JSONValue] = containers.map { c in
            let image = c.image
            return [
                "name": .string(c.name), "image": .string(qualified(image)), "imageID": .string(imageID(image)),
                "containerID": .string("containerd://" + hex(64)), "ready": .bool(ready), "restartCount": 0, "started": true,
                "state": ["running": ["startedAt": startStamp]],
            ]
        }
        var status: JSONValue = [
            "phase": "Running",
            "conditions": [
                ["type": "PodReadyToStartContainers", "status": "True", "lastTransitionTime": startStamp],
                ["type": "Initialized", "status": "True", "lastTransitionTime": startStamp],
                readiness("Ready"), readiness("ContainersReady"), scheduled,
            ],
            "hostIP": .string(hostIP), "hostIPs": [["ip": .string(hostIP)]],
            "startTime": startStamp, "containerStatuses": .array(statuses),
        ]
        if !podIP.isEmpty {
            status["podIP"] = .string(podIP)
            status["podIPs"] = [["ip": .string(podIP)]]
        }
        if let qos = Pod(pod).status.qosClass { status["qosClass"] = .string(qos) }
        _ = now
        return status
    }

    /// `nginx` → `docker.io/library/nginx:latest`, as containerd reports image names.
    static func qualified(_ image: String) -> String {
        var name = image
        let lastPart = name.split(separator: "/").last ?? ""
        if !lastPart.contains(":") && !name.contains("@") { name += ":latest" }
        let first = name.split(separator: "/").first ?? ""
        if !name.contains("/") { return "docker.io/library/" + name }
        if !first.contains(".") && !first.contains(":") && first != "localhost" { return "docker.io/" + name }
        return name
    }

    static func imageID(_ image: String) -> String {
        var h: UInt64 = 1_469_598_103_934_665_603
        for b in image.utf8 { h = (h ^ UInt64(b)) &* 1_099_511_628_211 }
        var digest = ""
        for i in 0..<4 { digest += String(format: "%016llx", h &+ UInt64(i) &* 0x9e37_79b9_7f4a_7c15) }
        let base = qualified(image).split(separator: ":").dropLast().joined(separator: ":")
        return "\(base.isEmpty ? qualified(image) : base)@sha256:\(digest)"
    }

    static func hex(_ count: Int) -> String {
        var s = ""
        while s.count < count { s += String(format: "%016llx", FastRandom.next()) }
        return String(s.prefix(count))
    }
}
