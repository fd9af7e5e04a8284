import APIServer
import ArgumentParser
import Controllers
import Foundation
import KubeClient
import Nodes

/// `kplane up`: API server, controllers and simulated nodes in one process, the components
/// talking to the API in-process. Ctrl-C or SIGTERM stops it; the data dir keeps the cluster.
struct UpCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "up", abstract: "Run a whole cluster: API server, controllers and simulated nodes.")

    @Option(help: "Port for the API server on 127.0.0.1 (0 picks a free one).") var port = 6443
    @Option(name: .customLong("data-dir"), help: "Where the database and kubeconfig live.") var dataDir = APIServerConfig.defaultDataDir
    @Option(help: "Number of simulated nodes.") var nodes = 3
    @Option(name: .customLong("pod-startup-seconds"), help: "Simulated time from binding to Running.") var startup = 0.0
    @Option(name: .customLong("pod-termination-cap-seconds"), help: "Longest a deleted pod takes to go, whatever its grace period.")
    var terminationCap = 1.0
    @Option(name: .customLong("probe-delay-scale"), help: "Multiplies readiness probe delays (1 keeps Kubernetes' timing).")
    var probeDelayScale = 1.0

    func run() async throws {
        let started = Date()
        var config = APIServerConfig(dataDir: dataDir)
        config.port = port
        let clock = SystemClock()
        let server: APIServer
        do {
            server = try await APIServer(config: config, now: { clock.now() })
        } catch let e as ConfigError {
            FileHandle.standardError.write(Data("error: \(e.message)\n".utf8))
            throw ExitCode.failure
        }
        var fleet = FleetConfig(nodes: nodes, startupSeconds: startup, terminationCapSeconds: terminationCap)
        fleet.probeDelayScale = probeDelayScale
        let cluster = LocalCluster(client: server.localClient, clock: clock, fleet: fleet)
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
    }
}
