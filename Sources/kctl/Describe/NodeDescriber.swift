import Foundation
import KubeClient
import KubeModel

/// `describe node`, section by section as kubectl's describeNode: taints, Lease, conditions,
/// addresses, capacity, system info, the pods on the node and what they reserve of it.
extension Describers {
    func node(_ o: JSONValue, _ w: inout DescribeWriter) async throws {
        let node = Node(o), meta = node.metadata, name = meta.name
        w.write(0, "Name:\t\(name)")
        let roles = meta.labels.keys.filter { $0.hasPrefix("node-role.kubernetes.io/") }.map { String($0.dropFirst(24)) }.sorted()
        w.write(0, "Roles:\t\(roles.isEmpty ? "<none>" : roles.joined(separator: ","))")
        w.map(0, "Labels", meta.labels)
        w.map(0, "Annotations", meta.annotations, separator: ": ")
        w.write(0, "CreationTimestamp:\t\(DescribeWriter.date(meta.creationTimestamp))")
        let taints = node.spec.taints.sorted { ($0.key, $0.value, $0.effect) < ($1.key, $1.value, $1.effect) }
        w.write(0, "Taints:\t" + (taints.isEmpty ? "<none>" : taints.map(\.description).joined(separator: "\n\t")))
        w.write(0, "Unschedulable:\t\(node.spec.unschedulable)")
        await lease(name, &w)
        let cs = node.status.conditions
        if !cs.isEmpty {
            w.write(0, "Conditions:")
            w.write(1, "Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage")
            w.write(1, "----\t------\t-----------------\t------------------\t------\t-------")
            // kubectl's cells end in a space, which widens each column by one.
            for c in cs {
                let cells = [c.type, c.status ?? "", DescribeWriter.date(c.lastHeartbeatTime), DescribeWriter.date(c.lastTransitionTime), c.reason ?? ""]
                w.write(1, cells.map { $0 + " " }.joined(separator: "\t") + "\t" + (c.message ?? ""))
            }
        }
        w.write(0, "Addresses:")
        for a in node.status.addresses { w.write(1, "\(a.type):\t\(a.address)") }
        for (title, quantities) in [("Capacity", node.status.capacity), ("Allocatable", node.status.allocatable)] {
            guard let m = quantities?.json.objectValue, !m.isEmpty else { continue }
            w.write(0, title + ":")
            // Printed as written (`110`, `16Gi`), keyed by resource name.
            for k in m.keys.sorted() { w.write(1, "\(k):\t\(JSONPath.text(m[k] ?? ""))") }
        }
        let info = node.status.nodeInfo
        w.write(0, "System Info:")
        for (title, key) in [("Machine ID", "machineID"), ("System UUID", "systemUUID"), ("Boot ID", "bootID"), ("Kernel Version", "kernelVersion"),
                             ("OS Image", "osImage"), ("Operating System", "operatingSystem"), ("Architecture", "architecture"),
                             ("Container Runtime Version", "containerRuntimeVersion"), ("Kubelet Version", "kubeletVersion"),
                             ("Kube-Proxy Version", "kubeProxyVersion")] {
            w.write(1, "\(title):\t\(info?[key]?.stringValue ?? "")")
        }
        if let cidr = node.spec.podCIDR, !cidr.isEmpty { w.write(0, "PodCIDR:\t\(cidr)") }
        let cidrs = node.spec.podCIDRs
        if !cidrs.isEmpty { w.write(0, "PodCIDRs:\t\(cidrs.joined(separator: ","))") }
        if let provider = node.spec.providerID, !provider.isEmpty { w.write(0, "ProviderID:\t\(provider)") }
        try await podsOnNode(o, &w)
        if showUsage { await usage(o, &w) }
        w.events(try await events(o))
    }

    /// What the node uses now, beside what its pods reserve (`--show-usage`; kubectl shows it
    /// only in `top node`): from the metrics API, left out when the server has none.
    func usage(_ node: JSONValue, _ w: inout DescribeWriter) async {
        guard let m = try? await session.client.call("GET", "/apis/metrics.k8s.io/v1beta1/nodes/\(node.metaName)") else { return }
        let status = Node(node).status
        let allocatable = (status.allocatable ?? status.capacity)?.list ?? ResourceList()
        let cpu = TopMetrics.milliCPU(m["usage"]), memory = TopMetrics.bytes(m["usage"])
        func percent(_ part: Int64, _ whole: Int64) -> String { whole > 0 ? " (\(Int64(clampingValue: Double(part) / Double(whole) * 100))%)" : "" }
        w.write(0, "Resource usage:\t(metrics.k8s.io, over \(m["window"]?.stringValue ?? "?") at \(m["timestamp"]?.stringValue ?? "?"))")
        w.write(1, "Resource\tUsed\tAllocatable")
        w.write(1, "--------\t----\t-----------")
        w.write(1, "cpu\t\(QuantityText.cpu(cpu))\(percent(cpu, allocatable.milliCPU))\t\(QuantityText.cpu(allocatable.milliCPU))")
        w.write(1, "memory\t\(QuantityText.bytes(memory))\(percent(memory, allocatable.memory))\t\(QuantityText.bytes(allocatable.memory))")
    }

    func lease(_ node: String, _ w: inout DescribeWriter) async {
        do {
            let lease = try await session.client.call("GET", APIResource.leases.path(namespace: "kube-node-lease", name: node))
            w.write(0, "Lease:")
            let spec = Lease(lease).spec
            w.write(1, "HolderIdentity:\t\(spec.holderIdentity ?? "<unset>")")
            for (title, t) in [("AcquireTime", spec.acquireTime), ("RenewTime", spec.renewTime)] {
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
        let pods = ObjectList(list).items
        let status = Node(node).status, alloc = status.allocatable ?? status.capacity
        let allocatable = alloc?.list ?? ResourceList()
        func percent(_ part: Int64, _ whole: Int64) -> Int64 { whole > 0 ? Int64(clampingValue: Double(part) / Double(whole) * 100) : 0 }
        w.write(0, "Non-terminated Pods:\t(\(pods.count) in total)")
        w.write(1, "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge")
        w.write(1, "---------\t----\t\t------------\t----------\t---------------\t-------------\t---")
        var requests = ResourceList(), limits = ResourceList()
        let now = Date()
        for pod in pods {
            let r = ResourceList.requests(ofPod: pod), l = ResourceList.limits(ofPod: pod)
            requests = requests + r
            limits = limits + l
            let age = pod.metadata.creationTimestamp.map { HumanDuration.format(seconds: now.timeIntervalSince($0)) } ?? "<unknown>"
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
        let names = (alloc?.names ?? []).sorted()
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
