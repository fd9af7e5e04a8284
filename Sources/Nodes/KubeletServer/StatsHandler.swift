import Foundation
import Hummingbird
import KubeModel

/// The kubelet's resource usage endpoints: `GET /stats/summary` (the Summary API's JSON; the
/// `only_cpu_and_memory` query changes nothing, as that is all there is) and
/// `GET /metrics/resource` (Prometheus' text format, what metrics-server scrapes).
struct StatsHandler {
    let stats: any NodeStatsSource

    func register(on router: Router<KubeletRequestContext>) {
        router.get("/stats/summary") { [stats] _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"],
                     body: .init(byteBuffer: ByteBuffer(bytes: JSONSerializer.serialize(stats.statsSummary().json))))
        }
        router.get("/metrics/resource") { [stats] _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(string: ResourceMetrics.text(stats.statsSummary()))))
        }
    }
}
