import ArgumentParser
import Foundation
import KubeClient
import Scheduler

/// `kplane scheduler`: the scheduler as its own process against any API server, as
/// kube-scheduler runs beside kube-apiserver.
struct SchedulerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "scheduler", abstract: "Run the scheduler against an API server.")

    @Option(help: RemoteRole.kubeconfigHelp) var kubeconfig: String?

    func run() async throws {
        let client = try RemoteRole.client(kubeconfig: kubeconfig)
        let pods = Informer(client: client, resource: .pods), nodes = Informer(client: client, resource: .nodes)
        let scheduler = Scheduler(client: client, clock: SystemClock(), pods: pods, nodes: nodes)
        let task = Task {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await pods.run() }
                group.addTask { await nodes.run() }
                await pods.waitForSync()
                await nodes.waitForSync()
                print("kplane scheduler: synced with \(client.config.server)")
                fflush(nil)
                await scheduler.run()
                group.cancelAll()
            }
        }
        await Signals.waitForTermination()
        task.cancel()
        _ = await task.result
    }
}
