import APIServer
import ArgumentParser
import Foundation
import KubeClient
import KubeModel
import Nodes

/// `kplane node stop|start NAME`: switches a simulated node's machine off or on, as if it
/// crashed or came back, by the annotation its fleet follows. The node lifecycle controller
/// then does what Kubernetes does: NotReady after 40 s, evictions 300 s later.
struct NodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "node", abstract: "Run a process-backed node, or stop and start a simulated node's machine.",
        subcommands: [Run.self, Stop.self, Start.self])

    /// `kplane node run --kubeconfig K --name N`: a process-backed node joining the cluster the
    /// kubeconfig names, as a kubelet on another machine joins.
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "run", abstract: "Run a process-backed node: a kubelet whose pods are real processes.")
        @Option(help: RemoteRole.kubeconfigHelp) var kubeconfig: String?
        @Option(help: "The node's name.") var name: String
        @Option(name: .customLong("data-dir"), help: "Where the node keeps images, logs and pod files.") var dataDir = APIServerConfig.defaultDataDir
        @Option(help: "The node's address is 127.0.1.<ordinal+1> (default: from the pod range it claims, unique on this machine).")
        var ordinal: Int?
        @OptionGroup var containerLogs: KubeletLogFlags
        @OptionGroup var verbosity: Verbosity

        func validate() throws {
            // Node addresses are 127.0.1.1 to 127.0.1.254.
            if let ordinal, !(0..<254).contains(ordinal) { throw ValidationError("--ordinal must be between 0 and 253") }
        }

        func run() async throws {
            verbosity.bootstrap()
            let policy = try containerLogs.policy()
            let client = try RemoteRole.client(kubeconfig: kubeconfig)
            let clock = SystemClock()
            let node = try ProcessNode(client: client, clock: clock, name: name, ordinal: ordinal,
                                       group: .machine(), dataDir: dataDir, logPolicy: policy)
            try await node.register()
            print("node/\(name) registered; running its pods as processes (Ctrl-C stops it)")
            fflush(nil)
            let task = Task { await node.run() }
            await Signals.waitForTermination()
            task.cancel()
            _ = await task.result
        }
    }

    struct Options: ParsableArguments {
        @Option(help: RemoteRole.kubeconfigHelp) var kubeconfig: String?
        @Argument(help: "The node's name.") var name: String
        @OptionGroup var verbosity: Verbosity
    }

    struct Stop: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "stop", abstract: "Power a simulated node off: its kubelet and Lease stop.")
        @OptionGroup var options: Options
        func run() async throws { try await NodeCommand.power(options, on: false) }
    }

    struct Start: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "start", abstract: "Power a simulated node back on.")
        @OptionGroup var options: Options
        func run() async throws { try await NodeCommand.power(options, on: true) }
    }

    static func power(_ o: Options, on: Bool) async throws {
        o.verbosity.bootstrap()
        let client = try RemoteRole.client(kubeconfig: o.kubeconfig)
        let patch: JSONValue = ["metadata": ["annotations": [.init(stringLiteral: SimulatedFleet.powerAnnotation): on ? .null : "off"]]]
        do {
            _ = try await client.patch(.nodes, namespace: nil, name: o.name, patch, type: "application/merge-patch+json")
            print("node/\(o.name) \(on ? "started" : "stopped")")
        } catch let e as APIStatusError {
            FileHandle.standardError.write(Data("Error from server (\(e.reason)): \(e.message)\n".utf8))
            throw ExitCode.failure
        }
    }
}
