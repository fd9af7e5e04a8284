import Foundation
import Testing

@testable import Nodes

/// `/metrics/resource` as the kubelet's collector writes it (its test's expectations).
@Suite struct ResourceMetricsTests {
    @Test func valuesAreWrittenAsGoWritesFloats() {
        let cases: [(Double, String)] = [(10, "10"), (1000, "1000"), (0, "0"), (1, "1"), (0.5, "0.5"), (123456, "123456"),
                                         (1e6, "1e+06"), (52_428_800, "5.24288e+07"), (1.6243962483020916e+09, "1.6243962483020916e+09"),
                                         (0.0001, "0.0001"), (0.00001, "1e-05"), (12.345, "12.345"), (-2.5, "-2.5"), (1e21, "1e+21")]
        for (v, s) in cases { #expect(GoFloat.format(v) == s, "\(v)") }
    }

    @Test func theKubeletsFamiliesSortedWithTheirSamplesTimes() {
        // 2021-06-23 05:11:18.302091597 +0800, the kubelet test's timestamp.
        let t = Date(timeIntervalSince1970: 1_624_396_278.302091597)
        let cpu = StatsSummary.CPUStats(time: t, usageNanoCores: nil, usageCoreNanoSeconds: 10_000_000_000)
        let memory = StatsSummary.MemoryStats(time: t, availableBytes: nil, usageBytes: 2000, workingSetBytes: 1000, rssBytes: 900,
                                              pageFaults: nil, majorPageFaults: nil)
        let a = StatsSummary.ContainerStats(name: "container_a", startTime: t.addingTimeInterval(-30), cpu: cpu, memory: memory)
        let b = StatsSummary.ContainerStats(name: "container_b", startTime: t.addingTimeInterval(-120), cpu: cpu, memory: memory)
        let summary = StatsSummary(
            node: .init(nodeName: "n", startTime: t, cpu: cpu, memory: memory),
            pods: [.init(name: "pod_b", namespace: "namespace_b", uid: "u2", startTime: t, containers: [a], cpu: nil, memory: nil),
                   .init(name: "pod_a", namespace: "namespace_a", uid: "u1", startTime: t, containers: [b, a], cpu: cpu, memory: memory)])
        #expect(ResourceMetrics.text(summary) == """
            # HELP container_cpu_usage_seconds_total [STABLE] Cumulative cpu time consumed by the container in core-seconds
            # TYPE container_cpu_usage_seconds_total counter
            container_cpu_usage_seconds_total{container="container_a",namespace="namespace_a",pod="pod_a"} 10 1624396278302
            container_cpu_usage_seconds_total{container="container_a",namespace="namespace_b",pod="pod_b"} 10 1624396278302
            container_cpu_usage_seconds_total{container="container_b",namespace="namespace_a",pod="pod_a"} 10 1624396278302
            # HELP container_memory_working_set_bytes [STABLE] Current working set of the container in bytes
            # TYPE container_memory_working_set_bytes gauge
            container_memory_working_set_bytes{container="container_a",namespace="namespace_a",pod="pod_a"} 1000 1624396278302
            container_memory_working_set_bytes{container="container_a",namespace="namespace_b",pod="pod_b"} 1000 1624396278302
            container_memory_working_set_bytes{container="container_b",namespace="namespace_a",pod="pod_a"} 1000 1624396278302
            # HELP container_start_time_seconds [STABLE] Start time of the container since unix epoch in seconds
            # TYPE container_start_time_seconds gauge
            container_start_time_seconds{container="container_a",namespace="namespace_a",pod="pod_a"} 1.6243962483020916e+09
            container_start_time_seconds{container="container_a",namespace="namespace_b",pod="pod_b"} 1.6243962483020916e+09
            container_start_time_seconds{container="container_b",namespace="namespace_a",pod="pod_a"} 1.6243961583020916e+09
            # HELP node_cpu_usage_seconds_total [STABLE] Cumulative cpu time consumed by the node in core-seconds
            # TYPE node_cpu_usage_seconds_total counter
            node_cpu_usage_seconds_total 10 1624396278302
            # HELP node_memory_working_set_bytes [STABLE] Current working set of the node in bytes
            # TYPE node_memory_working_set_bytes gauge
            node_memory_working_set_bytes 1000 1624396278302
            # HELP pod_cpu_usage_seconds_total [STABLE] Cumulative cpu time consumed by the pod in core-seconds
            # TYPE pod_cpu_usage_seconds_total counter
            pod_cpu_usage_seconds_total{namespace="namespace_a",pod="pod_a"} 10 1624396278302
            # HELP pod_memory_working_set_bytes [STABLE] Current working set of the pod in bytes
            # TYPE pod_memory_working_set_bytes gauge
            pod_memory_working_set_bytes{namespace="namespace_a",pod="pod_a"} 1000 1624396278302
            # HELP resource_scrape_error [STABLE] 1 if there was an error while getting container metrics, 0 otherwise
            # TYPE resource_scrape_error gauge
            resource_scrape_error 0
            # HELP scrape_error [ALPHA] 1 if there was an error while getting container metrics, 0 otherwise
            # TYPE scrape_error gauge
            scrape_error 0

            """)
    }

    @Test func labelValuesAreEscaped() {
        #expect(ResourceMetrics.escape(#"a"b\c"# + "\nd") == #"a\"b\\c\nd"#)
    }
}
