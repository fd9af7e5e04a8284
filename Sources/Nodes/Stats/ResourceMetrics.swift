import Foundation

/// The kubelet's `/metrics/resource` (pkg/kubelet/metrics/collectors/resource_metrics.go) in
/// Prometheus' text format, as metrics-server (0.6 and later) scrapes it: cumulative CPU
/// seconds and working sets of the node, each pod and each container, stamped with their
/// sample's time in milliseconds, and the containers' start times. Families are sorted by name
/// and series by their labels, as client_golang's gatherer writes them.
enum ResourceMetrics {
    private struct Family {
        let name: String
        let help: String
        let type: String
        var series: [(labels: [(String, String)], value: Double, time: Date?)] = []
    }

    static func text(_ s: StatsSummary, scrapeError: Bool = false) -> String {
        var f: [String: Family] = [:]
        func add(_ name: String, _ help: String, _ type: String, _ labels: [(String, String)], _ value: Double, _ time: Date?) {
            f[name, default: Family(name: name, help: help, type: type)].series.append((labels, value, time))
        }
        func cpuHelp(_ of: String) -> String { "[STABLE] Cumulative cpu time consumed by the \(of) in core-seconds" }
        func memoryHelp(_ of: String) -> String { "[STABLE] Current working set of the \(of) in bytes" }
        if let cpu = s.node.cpu {
            add("node_cpu_usage_seconds_total", cpuHelp("node"), "counter", [], seconds(cpu.usageCoreNanoSeconds), cpu.time)
        }
        if let memory = s.node.memory {
            add("node_memory_working_set_bytes", memoryHelp("node"), "gauge", [], Double(memory.workingSetBytes), memory.time)
        }
        for pod in s.pods {
            let podLabels = [("namespace", pod.namespace), ("pod", pod.name)]
            for c in pod.containers {
                let labels = [("container", c.name)] + podLabels
                if c.startTime.timeIntervalSince1970 > 0 {
                    add("container_start_time_seconds", "[STABLE] Start time of the container since unix epoch in seconds", "gauge",
                        labels, c.startTime.timeIntervalSince1970, nil)
                }
                if let cpu = c.cpu {
                    add("container_cpu_usage_seconds_total", cpuHelp("container"), "counter", labels, seconds(cpu.usageCoreNanoSeconds), cpu.time)
                }
                if let memory = c.memory {
                    add("container_memory_working_set_bytes", memoryHelp("container"), "gauge", labels, Double(memory.workingSetBytes), memory.time)
                }
            }
            if let cpu = pod.cpu {
                add("pod_cpu_usage_seconds_total", cpuHelp("pod"), "counter", podLabels, seconds(cpu.usageCoreNanoSeconds), cpu.time)
            }
            if let memory = pod.memory {
                add("pod_memory_working_set_bytes", memoryHelp("pod"), "gauge", podLabels, Double(memory.workingSetBytes), memory.time)
            }
        }
        let errorHelp = "1 if there was an error while getting container metrics, 0 otherwise"
        add("scrape_error", "[ALPHA] " + errorHelp, "gauge", [], scrapeError ? 1 : 0, nil)
        add("resource_scrape_error", "[STABLE] " + errorHelp, "gauge", [], scrapeError ? 1 : 0, nil)

        var out = ""
        for family in f.values.sorted(by: { $0.name < $1.name }) {
            out += "# HELP \(family.name) \(family.help)\n# TYPE \(family.name) \(family.type)\n"
            for s in family.series.sorted(by: { $0.labels.map(\.1).lexicographicallyPrecedes($1.labels.map(\.1)) }) {
                out += family.name
                if !s.labels.isEmpty {
                    out += "{" + s.labels.map { "\($0.0)=\"\(escape($0.1))\"" }.joined(separator: ",") + "}"
                }
                out += " " + GoFloat.format(s.value)
                if let time = s.time { out += " \(Int64((time.timeIntervalSince1970 * 1000).rounded(.down)))" }
                out += "\n"
            }
        }
        return out
    }

    static func seconds(_ nanoseconds: UInt64) -> Double { Double(nanoseconds) / 1e9 }

    /// A label value as the text format escapes it.
    static func escape(_ v: String) -> String {
        v.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
    }
}

/// Go's `strconv.FormatFloat(v, 'g', -1, 64)`, how Prometheus' text format writes a value: the
/// shortest digits that read back the same, in exponent form past 1e+06 and below 1e-04.
enum GoFloat {
    static func format(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "+Inf" : "-Inf" }
        if v == 0 { return "0" }
        // Swift's description is the shortest round-tripping form as well; take its digits.
        var text = "\(v.magnitude)"
        var exponent = 0
        if let e = text.firstIndex(of: "e") {
            exponent = Int(text[text.index(after: e)...]) ?? 0
            text = String(text[..<e])
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        var digits = Array(parts[0] + (parts.count > 1 ? parts[1] : ""))
        var point = parts[0].count + exponent
        while digits.first == "0" { digits.removeFirst(); point -= 1 }
        while digits.last == "0" { digits.removeLast() }
        let sign = v < 0 ? "-" : ""
        let exp = point - 1
        if exp < -4 || exp >= 6 {
            let mantissa = String(digits[0]) + (digits.count > 1 ? "." + String(digits[1...]) : "")
            let e = abs(exp)
            return sign + mantissa + "e" + (exp < 0 ? "-" : "+") + (e < 10 ? "0" : "") + String(e)
        }
        if point <= 0 { return sign + "0." + String(repeating: "0", count: -point) + String(digits) }
        if point >= digits.count { return sign + String(digits) + String(repeating: "0", count: point - digits.count) }
        return sign + String(digits[..<point]) + "." + String(digits[point...])
    }
}
