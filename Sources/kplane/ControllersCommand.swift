import ArgumentParser
import Controllers
import Foundation
import KubeClient

/// `kplane controllers`: the controllers as their own process, talking HTTP to any API server
/// named by a kubeconfig, as kube-controller-manager runs beside kube-apiserver.
struct ControllersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "controllers", abstract: "Run the controllers against an API server.")

    @Option(help: "Path to the kubeconfig file naming the API server.") var kubeconfig: String
    @Option(help: "Workers per controller.") var workers = 5

    func run() async throws {
        let rest: RestConfig
        do {
            rest = try RestConfig.resolve(try Kubeconfig.load(paths: [kubeconfig]), ConfigOverrides())
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode.failure
        }
        let manager = ControllerManager(client: try HTTPAPIClient(config: rest), clock: SystemClock(), workers: workers)
        let task = Task { await manager.run(onSynced: { print("kplane controllers: synced with \(rest.server)"); fflush(nil) }) }
        await Signals.waitForTermination()
        task.cancel()
        _ = await task.result
    }
}
