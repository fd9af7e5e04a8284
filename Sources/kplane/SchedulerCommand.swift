import ArgumentParser
import Foundation
import KubeClient
import Scheduler

/// `kplane scheduler`: the scheduler as its own process against any API server, as
/// kube-scheduler runs beside kube-apiserver.
struct SchedulerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "scheduler", abstract: "Run the scheduler against an API server.")

    @Option(help: RemoteRole.kubeconfigHelp) var kubeconfig: String?
    @OptionGroup var verbosity: Verbosity

    func run() async throws {
        verbosity.bootstrap()
        let client = try RemoteRole.client(kubeconfig: kubeconfig)
        let pods = Informer(client: client, resource: .pods), nodes = Informer(client: client, resource: .nodes)
        let scheduler = Scheduler(client: client, clock: SystemClock(), pods: pods, nodes: nodes)
        let task = Task {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await pods.run(clock: SystemClock()) }
                group.addTask { await nodes.run(clock: SystemClock()) }
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
