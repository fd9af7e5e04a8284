import Foundation
import KplaneTestSupport
import KubeModel
import Testing

/// Reads of a process node's kubelet port.
enum KubeletPort {
    /// The node's kubelet address, as the API server finds it.
    static func url(_ c: ProcessCluster, _ path: String) throws -> String {
        let node = "kplane-process-1"
        let ip = try c.kubectl("get", "node", node, "-o", #"jsonpath={.status.addresses[?(@.type=="InternalIP")].address}"#).out
        let port = try c.kubectl("get", "node", node, "-o", "jsonpath={.status.daemonEndpoints.kubeletEndpoint.Port}").out
        return "http://\(ip):\(port)\(path)"
    }

    static func get(_ url: String) throws -> String {
        try ServerProcess.run("/usr/bin/env", ["curl", "-sf", "--max-time", "5", url]).out
    }

    static func container(_ summary: JSONValue, pod: String) -> JSONValue? {
        summary["pods"]?.arrayValue?.first { $0[path: ["podRef", "name"]] == .string(pod) }?["containers"]?.arrayValue?.first
    }
}

/// A process node's kubelet port serves what its real containers use: `/stats/summary` and
/// `/metrics/resource`, as a kubelet does for metrics-server. (In ProcessNodeE2ETests, which
/// runs its tests one at a time: every such cluster's node is `kplane-process-1`, and a node
/// starting up removes the cgroups a node of its name left.)
extension ProcessNodeE2ETests {
    @Test func aCPUBurnerShowsNearACoreAndAMemoryHolderWhatItHolds() throws {
        let c = try ProcessCluster()
        try c.apply("""
            apiVersion: v1
            kind: Pod
            metadata: {name: burn}
            spec:
              terminationGracePeriodSeconds: 0
              containers:
              - {name: main, image: busybox, command: ["sh", "-c", "while :; do :; done # stats-e2e-burn"]}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: hold}
            spec:
              terminationGracePeriodSeconds: 0
              containers:
              - name: main
                image: node:20
                command: ["node", "-e", "globalThis.held = Buffer.alloc(96 << 20, 1); setInterval(() => {}, 1000) // stats-e2e-hold"]
                resources: {limits: {memory: 512Mi}}
            """)
        try c.wait("both pods to run", seconds: 60) {
            try c.get("burn", "{.status.phase}") == "Running" && c.get("hold", "{.status.phase}") == "Running"
        }
        let url = try KubeletPort.url(c, "/stats/summary")
        var summary: JSONValue = .null
        // Two samples of each (10 s apart, cAdvisor's housekeeping interval) give the rate. The
        // burner gets a core when one is free: on a machine that other work keeps busy, a later
        // sample may be the first to show it.
        var cores = 0.0
        do {
            try c.wait("a rate over half a core for the burner", seconds: 90) {
                summary = (try? JSONParser.parse(KubeletPort.get(url))) ?? .null
                cores = Double(KubeletPort.container(summary, pod: "burn")?[path: ["cpu", "usageNanoCores"]]?.intValue ?? 0) / 1e9
                return cores > 0.5 && KubeletPort.container(summary, pod: "hold")?[path: ["cpu", "usageNanoCores"]] != nil
            }
        } catch {
            Issue.record("the last summary: \(JSONSerializer.string(summary))")
            throw error
        }
        #expect(summary[path: ["node", "nodeName"]] == "kplane-process-1")
        #expect((summary[path: ["node", "cpu", "usageNanoCores"]]?.intValue ?? 0) >= Int64(cores * 0.95e9), "the node counts the burner too")
        #expect((summary[path: ["node", "memory", "workingSetBytes"]]?.intValue ?? 0) > 0)
        let burner = try #require(KubeletPort.container(summary, pod: "burn"))
        #expect(burner["name"] == "main")
        let holder = try #require(KubeletPort.container(summary, pod: "hold"))
        let workingSet = holder[path: ["memory", "workingSetBytes"]]?.intValue ?? 0
        // 96 MiB held, plus what node itself needs (some tens of MiB).
        #expect(workingSet > 96 << 20 && workingSet < 200 << 20, "the holder's working set is \(workingSet >> 20) MiB")
        #expect(holder[path: ["memory", "availableBytes"]]?.intValue == (512 << 20) - workingSet)
        let pod = try #require(summary["pods"]?.arrayValue?.first { $0[path: ["podRef", "name"]] == "burn" })
        #expect(pod[path: ["podRef", "uid"]] == .string(try c.get("burn", "{.metadata.uid}")))

        let metrics = try KubeletPort.get(KubeletPort.url(c, "/metrics/resource"))
        #expect(metrics.contains("# TYPE container_cpu_usage_seconds_total counter\n"))
        #expect(metrics.contains(#"container_cpu_usage_seconds_total{container="main",namespace="default",pod="burn"} "#))
        #expect(metrics.contains(#"container_memory_working_set_bytes{container="main",namespace="default",pod="hold"} "#))
        #expect(metrics.contains(#"pod_cpu_usage_seconds_total{namespace="default",pod="burn"} "#))
        #expect(metrics.contains("\nnode_memory_working_set_bytes "))

        // The metrics API serves the same figures, so `kubectl top` shows them.
        var top = ""
        do {
            try c.wait("kubectl top to show the burner near a core and what the holder holds", seconds: 60) {
                top = try c.kubectl("top", "pods", "--no-headers").out
                let rows = Dictionary(top.split(separator: "\n").map { line -> (String, [String]) in
                    let words = line.split(separator: " ").map(String.init)
                    return (words.first ?? "", Array(words.dropFirst()))
                }, uniquingKeysWith: { a, _ in a })
                guard let burn = rows["burn"], let hold = rows["hold"], burn.count == 2, hold.count == 2 else { return false }
                return (Int(burn[0].dropLast()) ?? 0) > 500 && (Int(hold[1].dropLast(2)) ?? 0) >= 96
            }
        } catch {
            Issue.record("the last kubectl top pods: \(top)")
            throw error
        }
        let node = try c.kubectl("top", "node", "kplane-process-1", "--no-headers").out
        #expect(node.hasPrefix("kplane-process-1") && !node.contains("<unknown>"), "\(node)")

        // Deleted pods leave the summary, and their processes the machine.
        #expect(try c.kubectl("delete", "pod", "burn", "hold", "--wait=true").code == 0)
        try c.wait("the pods to leave the summary", seconds: 30) {
            let s = (try? JSONParser.parse(KubeletPort.get(url))) ?? .null
            return s["pods"]?.arrayValue?.isEmpty == true
        }
        #expect(processes(containing: "stats-e2e-").isEmpty)
    }
}
