import APIServer
import ArgumentParser
import Foundation

@main
struct Kplane: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kplane",
        abstract: "A Kubernetes-style control plane on one machine.",
        subcommands: [UpCommand.self, APIServerCommand.self, ControllersCommand.self, SchedulerCommand.self, ProxyCommand.self, NodeCommand.self, ImageCommand.self, LoadCommand.self])
}
