import ArgumentParser
import KubeClient
import KubeModel

struct Autoscale: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "autoscale", abstract: "Auto-scale a deployment, replica set, stateful set, or replication controller.")
    @OptionGroup var global: GlobalOptions
    @Argument var args: [String] = []
    @Option var min: Int = -1
    @Option var max: Int
    @Option(name: .customLong("cpu-percent")) var cpuPercent: Int = -1
    @Option var name: String?
    @Option(name: .customLong("dry-run")) var dryRun = "none"

    func run() async throws {
        try await Kctl.guarded {
            let session = try global.session()
            for (r, target) in try await TypeName.parse(args, session) {
                let obj = try await session.client.call("GET", r.path(namespace: session.namespace, name: target))
                var spec: JSONValue = [
                    "scaleTargetRef": ["kind": .string(r.kind), "name": .string(target), "apiVersion": .string(r.groupVersion)],
                    "maxReplicas": .int(Int64(max)),
                ]
                if min > 0 { spec["minReplicas"] = .int(Int64(min)) }
                if cpuPercent >= 0 { spec["targetCPUUtilizationPercentage"] = .int(Int64(cpuPercent)) }
                var hpa: JSONValue = ["apiVersion": "autoscaling/v1", "kind": "HorizontalPodAutoscaler", "metadata": ["name": .string(name ?? target)], "spec": spec]
                if let labels = obj.metadata.labelsValue { hpa.set(["metadata", "labels"], labels) }
                let hpaResource = try await session.resource("horizontalpodautoscalers.v1.autoscaling")
                if dryRun != "client" {
                    _ = try await session.client.call("POST", hpaResource.path(namespace: session.namespace), query: [("fieldManager", "kubectl-autoscale")], body: hpa)
                }
                Terminal.line("horizontalpodautoscaler.autoscaling/\(name ?? target) autoscaled")
            }
        }
    }
}
