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
        commandName: "node", abstract: "Stop or start a simulated node's machine.", subcommands: [Stop.self, Start.self])

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
