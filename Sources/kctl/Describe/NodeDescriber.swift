import Foundation
import KubeClient
import KubeModel

/// `describe node`, section by section as kubectl's describeNode: taints, Lease, conditions,
/// addresses, capacity, system info, the pods on the node and what they reserve of it.
extension Describers {
    func node(_ o: JSONValue, _ w: inout DescribeWriter) async throws {
        let name = o.metaName
        w.write(0, "Name:\t\(name)")
        let roles = labelsOf(o).keys.filter { $0.hasPrefix("node-role.kubernetes.io/") }.map { String($0.dropFirst(24)) }.sorted()
        w.write(0, "Roles:\t\(roles.isEmpty ? "<none>" : roles.joined(separator: ","))")
        w.map(0, "Labels", o[path: ["metadata", "labels"]]?.objectValue)
        w.map(0, "Annotations", o[path: ["metadata", "annotations"]]?.objectValue, separator: ": ")
        w.write(0, "CreationTimestamp:\t\(DescribeWriter.date(o[path: ["metadata", "creationTimestamp"]]?.stringValue))")
        let taints = Taint.of(node: o).sorted { ($0.key, $0.value, $0.effect) < ($1.key, $1.value, $1.effect) }
        w.write(0, "Taints:\t" + (taints.isEmpty ? "<none>" : taints.map(\.description).joined(separator: "\n\t")))
        w.write(0, "Unschedulable:\t\(o[path: ["spec", "unschedulable"]]?.boolValue ?? false)")
        await lease(name, &w)
        if let cs = o[path: ["status", "conditions"]]?.arrayValue, !cs.isEmpty {
            w.write(0, "Conditions:")
            w.write(1, "Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage")
            w.write(1, "----\t------\t-----------------\t------------------\t------\t-------")
            // kubectl's cells end in a space, which widens each column by one.
            for c in cs {
                let cells = [c["type"]?.stringValue ?? "", c["status"]?.stringValue ?? "", DescribeWriter.date(c["lastHeartbeatTime"]?.stringValue),
                             DescribeWriter.date(c["lastTransitionTime"]?.stringValue), c["reason"]?.stringValue ?? ""]
                w.write(1, cells.map { $0 + " " }.joined(separator: "\t") + "\t" + (c["message"]?.stringValue ?? ""))
            }
        }
        w.write(0, "Addresses:")
        for a in o[path: ["status", "addresses"]]?.arrayValue ?? [] {
            w.write(1, "\(a["type"]?.stringValue ?? ""):\t\(a["address"]?.stringValue ?? "")")
        }
        for section in ["capacity", "allocatable"] {
            guard let m = o[path: ["status", section]]?.objectValue, !m.isEmpty else { continue }
            w.write(0, section.capitalized + ":")
            for k in m.keys.sorted() { w.write(1, "\(k):\t\(JSONPath.text(m[k] ?? ""))") }
        }
        let info = o[path: ["status", "nodeInfo"]]
        w.write(0, "System Info:")
        for (title, key) in [("Machine ID", "machineID"), ("System UUID", "systemUUID"), ("Boot ID", "bootID"), ("Kernel Version", "kernelVersion"),
                             ("OS Image", "osImage"), ("Operating System", "operatingSystem"), ("Architecture", "architecture"),
                             ("Container Runtime Version", "containerRuntimeVersion"), ("Kubelet Version", "kubeletVersion"),
                             ("Kube-Proxy Version", "kubeProxyVersion")] {
            w.write(1, "\(title):\t\(info?[key]?.stringValue ?? "")")
        }
        if let cidr = o[path: ["spec", "podCIDR"]]?.stringValue, !cidr.isEmpty { w.write(0, "PodCIDR:\t\(cidr)") }
        if let cidrs = o[path: ["spec", "podCIDRs"]]?.arrayValue, !cidrs.isEmpty {
            w.write(0, "PodCIDRs:\t\(cidrs.compactMap(\.stringValue).joined(separator: ","))")
        }
        if let provider = o[path: ["spec", "providerID"]]?.stringValue, !provider.isEmpty { w.write(0, "ProviderID:\t\(provider)") }
        try await podsOnNode(o, &w)
        w.events(try await events(o))
    }

    func lease(_ node: String, _ w: inout DescribeWriter) async {
        do {
            let lease = try await session.client.call("GET", APIResource.leases.path(namespace: "kube-node-lease", name: node))
            w.write(0, "Lease:")
            w.write(1, "HolderIdentity:\t\(lease[path: ["spec", "holderIdentity"]]?.stringValue ?? "<unset>")")
            for (title, key) in [("AcquireTime", "acquireTime"), ("RenewTime", "renewTime")] {
                let t = lease[path: ["spec", key]]?.stringValue
                w.write(1, "\(title):\t\(t.map { DescribeWriter.date($0) } ?? "<unset>")")
            }
        } catch let e as APIStatusError {
            w.write(0, "Lease:\tFailed to get lease: \(e.message)")
        } catch {
            w.write(0, "Lease:\tFailed to get lease: \(error)")
        }
    }

    /// Non-terminated Pods and Allocated resources, with percentages of allocatable.
    func podsOnNode(_ node: JSONValue, _ w: inout DescribeWriter) async throws {
        let list = try await session.client.call("GET", APIResource.pods.path(namespace: nil), query: [
            ("fieldSelector", "spec.nodeName=\(node.metaName),status.phase!=Failed,status.phase!=Succeeded")])
        let pods = list["items"]?.arrayValue ?? []
        let alloc = node[path: ["status", "allocatable"]] ?? node[path: ["status", "capacity"]]
        let allocatable = ResourceList(alloc)
        func percent(_ part: Int64, _ whole: Int64) -> Int64 { whole > 0 ? Int64(Double(part) / Double(whole) * 100) : 0 }
        w.write(0, "Non-terminated Pods:\t(\(pods.count) in total)")
        w.write(1, "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge")
        w.write(1, "---------\t----\t\t------------\t----------\t---------------\t-------------\t---")
        var requests = ResourceList(), limits = ResourceList()
        let now = Date()
        for pod in pods {
            let r = ResourceList.requests(ofPod: pod), l = ResourceList.limits(ofPod: pod)
            requests = requests + r
            limits = limits + l
            let age = pod[path: ["metadata", "creationTimestamp"]]?.stringValue.flatMap(Timestamp.parse).map { HumanDuration.format(seconds: now.timeIntervalSince($0)) } ?? "<unknown>"
            w.write(1, "\(pod.metaNamespace)\t\(pod.metaName)\t\t\(QuantityText.cpu(r.milliCPU)) (\(percent(r.milliCPU, allocatable.milliCPU))%)\t"
                + "\(QuantityText.cpu(l.milliCPU)) (\(percent(l.milliCPU, allocatable.milliCPU))%)\t"
                + "\(QuantityText.bytes(r.memory)) (\(percent(r.memory, allocatable.memory))%)\t"
                + "\(QuantityText.bytes(l.memory)) (\(percent(l.memory, allocatable.memory))%)\t\(age)")
        }
        w.write(0, "Allocated resources:")
        w.write(1, "(Total limits may be over 100 percent, i.e., overcommitted.)")
        w.write(1, "Resource\tRequests\tLimits")
        w.write(1, "--------\t--------\t------")
        w.write(1, "cpu\t\(QuantityText.cpu(requests.milliCPU)) (\(percent(requests.milliCPU, allocatable.milliCPU))%)\t\(QuantityText.cpu(limits.milliCPU)) (\(percent(limits.milliCPU, allocatable.milliCPU))%)")
        w.write(1, "memory\t\(QuantityText.bytes(requests.memory)) (\(percent(requests.memory, allocatable.memory))%)\t\(QuantityText.bytes(limits.memory)) (\(percent(limits.memory, allocatable.memory))%)")
        w.write(1, "ephemeral-storage\t\(QuantityText.bytes(requests.ephemeralStorage)) (\(percent(requests.ephemeralStorage, allocatable.ephemeralStorage))%)\t\(QuantityText.bytes(limits.ephemeralStorage)) (\(percent(limits.ephemeralStorage, allocatable.ephemeralStorage))%)")
        let names = (alloc?.objectValue ?? [:]).keys.sorted()
        for hp in names where hp.hasPrefix("hugepages-") {
            w.write(1, "\(hp)\t\(QuantityText.bytes(requests.scalar[hp] ?? 0)) (0%)\t\(QuantityText.bytes(limits.scalar[hp] ?? 0)) (0%)")
        }
        for ext in names where !hp(ext) && !["cpu", "memory", "pods", "ephemeral-storage"].contains(ext) {
            w.write(1, "\(ext)\t\(requests.scalar[ext] ?? 0)\t\(limits.scalar[ext] ?? 0)")
        }
    }

    private func hp(_ name: String) -> Bool { name.hasPrefix("hugepages-") }
}

/// Sums of quantities written back as resource.Quantity prints them: whole cores or
/// millicores, bytes in the largest binary unit that divides them.
enum QuantityText {
    static func cpu(_ milli: Int64) -> String {
        milli % 1000 == 0 ? String(milli / 1000) : "\(milli)m"
    }

    static func bytes(_ n: Int64) -> String {
        guard n != 0 else { return "0" }
        for (suffix, size) in [("Ei", Int64(1) << 60), ("Pi", Int64(1) << 50), ("Ti", Int64(1) << 40), ("Gi", Int64(1) << 30), ("Mi", Int64(1) << 20), ("Ki", Int64(1) << 10)]
        where n % size == 0 {
            return "\(n / size)\(suffix)"
        }
        for (suffix, size) in [("E", Int64(1_000_000_000_000_000_000)), ("P", Int64(1_000_000_000_000_000)), ("T", Int64(1_000_000_000_000)), ("G", Int64(1_000_000_000)), ("M", Int64(1_000_000)), ("k", Int64(1000))]
        where n % size == 0 {
            return "\(n / size)\(suffix)"
        }
        return String(n)
    }
}
