import ArgumentParser
import Foundation
import KubeClient
import Networking

/// `kplane proxy`: the Service proxy as its own process against any API server, as kube-proxy
/// runs on each node. ClusterIPs answer where they are addresses of this machine (the loopback
/// range, or a range `kplane up` routed locally).
struct ProxyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "proxy", abstract: "Run the Service proxy (kube-proxy's job) against an API server.")

    @Option(help: RemoteRole.kubeconfigHelp) var kubeconfig: String?
    @OptionGroup var verbosity: Verbosity

    func run() async throws {
        verbosity.bootstrap()
        let client = try RemoteRole.client(kubeconfig: kubeconfig)
        let informers = SharedInformers(client: client)
        let tracker = EndpointTracker(informers: informers)
        let activator = Activator(client: client, clock: SystemClock(), tracker: tracker, deployments: informers.informer(.deployments), pods: informers.informer(.pods))
        let proxy = ServiceProxy(client: client, clock: SystemClock(), tracker: tracker, nodes: informers.informer(.nodes), activator: activator)
        let task = Task {
            await withTaskGroup(of: Void.self) { group in
                for informer in informers.all { group.addTask { await informer.run(clock: SystemClock()) } }
                await tracker.waitForSync()
                print("kplane proxy: synced with \(client.config.server)")
                fflush(nil)
                group.addTask { await activator.run() }
                await proxy.serve()
                group.cancelAll()
            }
        }
        await Signals.waitForTermination()
        task.cancel()
        _ = await task.result
    }
}
