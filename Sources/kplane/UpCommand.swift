import APIServer
import ArgumentParser
import Controllers
import Foundation
import Logging
import KubeClient
import Networking
import KubeModel
import KubeYAML
import Networking
import Nodes

/// `kplane up`: API server, controllers, scheduler and nodes (process-backed by default,
/// simulated with `--nodes`) in one process, the components talking to the API in-process. Ctrl-C or SIGTERM stops it; the data dir keeps the cluster.
struct UpCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "up", abstract: "Run a whole cluster: API server, controllers, scheduler and nodes.")

    @Option(help: "Port for the API server on 127.0.0.1 (0 picks a free one).") var port = 6443
    @Option(name: .customLong("data-dir"), help: "Where the database and kubeconfig live.") var dataDir = APIServerConfig.defaultDataDir
    @Option(help: "Number of simulated nodes (thousands are cheap; their pods run nothing).") var nodes: Int?
    @Option(name: .customLong("process-nodes"),
            help: "Number of process-backed nodes, whose pods are real processes (1 when no node flag is given).")
    var processNodes: Int?
    @Option(name: .customLong("event-ttl"), help: "How long events are kept after their last update.") var eventTTL = "1h0m0s"
    @Option(help: "A fleet file (kind: Fleet) describing node groups; see manifests/fleets/.") var fleet: String?
    @Option(name: .customLong("node-cpu"), help: "CPU of each node (default: 4 for simulated nodes, the machine's for process nodes).")
    var nodeCPU: String?
    @Option(name: .customLong("node-memory"), help: "Memory of each node (default: 16Gi for simulated nodes, the machine's for process nodes).")
    var nodeMemory: String?
    @Option(name: .customLong("node-max-pods"), help: "Pods each node takes.") var nodeMaxPods = 110
    @Option(name: .customLong("pod-startup-seconds"), help: "Simulated time from binding to Running.") var startup = 0.0
    @Option(name: .customLong("pod-termination-cap-seconds"), help: "Longest a deleted pod takes to go, whatever its grace period.")
    var terminationCap = 1.0
    @Option(name: .customLong("probe-delay-scale"), help: "Multiplies readiness probe delays (1 keeps Kubernetes' timing).")
    var probeDelayScale = 1.0

    @Option(name: .customLong("ingress-port"), help: "HTTP port of the Ingress controller on 127.0.0.1 (default 80, else 8080; 0 turns it off).")
    var ingressPort: Int?
    @Option(name: .customLong("ingress-https-port"), help: "HTTPS port of the Ingress controller (default 443, else 8443; 0 turns HTTPS off).")
    var ingressHTTPSPort: Int?

    @OptionGroup var hpa: HPAFlags
    @OptionGroup var containerLogs: KubeletLogFlags
    @OptionGroup var verbosity: Verbosity

    func run() async throws {
        verbosity.bootstrap()
        let started = Date()
        var config = APIServerConfig(dataDir: dataDir)
        config.port = port
        config.eventTTL = try Self.ttl(eventTTL)
        let serviceRange = ServiceAddressRange.claim(logger: Logger(label: "service-proxy"))
        defer { serviceRange.release() }
        Logger(label: "service-proxy").info("\(serviceRange.reason)")
        config.serviceCIDR = serviceRange.cidr
        let clock = SystemClock()
        let server: APIServer
        do {
            server = try await APIServer(config: config, now: { clock.now() })
        } catch let e as ConfigError {
            FileHandle.standardError.write(Data("error: \(e.message)\n".utf8))
            throw ExitCode.failure
        }
        let fleetConfig = try fleetConfig()
        // No node flag at all: one process-backed node, so applied manifests really run.
        let processNodeCount = max(0, processNodes ?? (nodes == nil && fleet == nil ? 1 : 0))
        // Process nodes take their CPU and memory from the machine unless the flags say otherwise.
        var processGroup = NodeGroup(count: 1, cpu: nodeCPU ?? "4", memory: nodeMemory ?? "16Gi", maxPods: nodeMaxPods)
        processGroup.cpuFromMachine = nodeCPU == nil
        processGroup.memoryFromMachine = nodeMemory == nil
        let cluster = try LocalCluster(client: server.localClient, clock: clock, fleet: fleetConfig, processNodes: processNodeCount,
                                       processGroup: processGroup, dataDir: dataDir, logPolicy: try containerLogs.policy(), ingress: ingressSettings(),
                                       hpa: try hpa.settings())
        let nodes = fleetConfig.nodeCount + processNodeCount
        // After SIGINT/SIGTERM, whatever does not stop in time (an open stream the server waits
        // for, a component) must not keep the process, and so its pods, alive: it exits anyway,
        // and says so.
        let watchdog = Task.detached {
            await Signals.waitForTermination()
            try await clock.sleep(for: Self.shutdownTimeout)
            Logger(label: "kplane").error("kplane did not stop within \(Int(Self.shutdownTimeout)) s of the signal; exiting")
            Foundation.exit(1)
        }
        defer { watchdog.cancel() }
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                let components = Task { try await cluster.run() }
                group.addTask {
                    try await withTaskCancellationHandler {
                        try await server.run { boundPort in
                            await cluster.ready.wait()
                            let seconds = String(format: "%.2f", Date().timeIntervalSince(started))
                            announce(server, port: boundPort,
                                     headline: "kplane is up: API server on http://127.0.0.1:\(boundPort), \(nodes) node(s) Ready (\(seconds) s)",
                                     hint: "export KUBECONFIG={}; kctl get nodes   # or kubectl get nodes")
                        }
                    } onCancel: {
                        components.cancel()
                    }
                    // The server returns after SIGINT/SIGTERM; the components stop with it.
                    components.cancel()
                    _ = await components.result
                }
                try await group.waitForAll()
            }
        } catch let e as ConfigError {
            FileHandle.standardError.write(Data("error: \(e.message)\n".utf8))
            throw ExitCode.failure
        }
    }

    /// The Ingress controller's listeners: the ports given, else 80/443 falling back to 8080/8443.
    func ingressSettings() -> IngressStack.Settings? {
        if ingressPort == 0 { return nil }
        var settings = IngressStack.Settings(certificateDirectory: dataDir + "/ingress")
        if let p = ingressPort { settings.http = IngressEntryPoint(port: p) }
        if let p = ingressHTTPSPort { settings.https = p == 0 ? nil : IngressEntryPoint(port: p) }
        return settings
    }

    /// How long the components may take to stop after SIGINT/SIGTERM.
    static let shutdownTimeout: TimeInterval = 30

    static func ttl(_ text: String) throws -> TimeInterval {
        guard let seconds = GoDuration.seconds(text), seconds > 0 else {
            FileHandle.standardError.write(Data("error: invalid argument \"\(text)\" for \"--event-ttl\" flag: time: invalid duration \"\(text)\"\n".utf8))
            throw ExitCode.failure
        }
        return seconds
    }

    /// The fleet from `--fleet`, else `--nodes` identical nodes; flags for pod timing apply to both.
    func fleetConfig() throws -> FleetConfig {
        var config: FleetConfig
        if let fleet {
            do {
                let text = try String(contentsOfFile: fleet, encoding: .utf8)
                config = try FleetConfig(fleet: try YAMLDecoding.documents(text).first ?? .emptyObject)
            } catch {
                FileHandle.standardError.write(Data("error: \(fleet): \(error)\n".utf8))
                throw ExitCode.failure
            }
        } else {
            guard Quantity(nodeCPU ?? "4") != nil, Quantity(nodeMemory ?? "16Gi") != nil else {
                FileHandle.standardError.write(Data("error: --node-cpu and --node-memory take quantities such as 4, 500m, 16Gi\n".utf8))
                throw ExitCode.failure
            }
            let simulated = nodes ?? 0
            config = FleetConfig(nodes: simulated, cpu: nodeCPU ?? "4", memory: nodeMemory ?? "16Gi", maxPods: nodeMaxPods)
        }
        config.startupSeconds = startup
        config.terminationCapSeconds = terminationCap
        config.probeDelayScale = probeDelayScale
        return config
    }
}
