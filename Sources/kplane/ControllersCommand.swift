import ArgumentParser
import Controllers
import Foundation
import KubeClient

/// `kplane controllers`: the controllers as their own process, talking HTTP to any API server
/// named by a kubeconfig, as kube-controller-manager runs beside kube-apiserver.
struct ControllersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "controllers", abstract: "Run the controllers against an API server.")

    @Option(help: RemoteRole.kubeconfigHelp) var kubeconfig: String?
    @Option(help: "Workers per controller.") var workers = 5
    @OptionGroup var hpa: HPAFlags
    @OptionGroup var verbosity: Verbosity

    func run() async throws {
        verbosity.bootstrap()
        let client = try RemoteRole.client(kubeconfig: kubeconfig)
        let manager = ControllerManager(client: client, clock: SystemClock(), workers: workers, hpa: try hpa.settings())
        let task = Task { await manager.run(onSynced: { print("kplane controllers: synced with \(client.config.server)"); fflush(nil) }) }
        await Signals.waitForTermination()
        task.cancel()
        _ = await task.result
    }
}
