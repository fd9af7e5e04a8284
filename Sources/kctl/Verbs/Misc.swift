import ArgumentParser
import Foundation
import KubeClient
import KubeModel

struct ClusterInfo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cluster-info", abstract: "Display cluster information.")
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await Kctl.guarded {
            let session = try global.session()
            _ = try await session.client.call("GET", "/version")
            Terminal.line("\u{1B}[0;32mKubernetes control plane\u{1B}[0m is running at \u{1B}[0;33m\(session.rest.server)\u{1B}[0m".strippingColourUnlessTerminal)
            Terminal.line("\nTo further debug and diagnose cluster problems, use 'kctl cluster-info dump'.")
        }
    }
}

extension String {
    /// kubectl colours only on a terminal, never in pipes.
    var strippingColourUnlessTerminal: String {
        if isatty(STDOUT_FILENO) == 1 { return self }
        var out = ""
        var skipping = false
        for ch in self {
            if ch == "\u{1B}" { skipping = true; continue }
            if skipping { if ch == "m" { skipping = false }; continue }
            out.append(ch)
        }
        return out
    }
}

struct Completion: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "completion", abstract: "Output shell completion code for the specified shell (bash, zsh or fish).")
    @OptionGroup var global: GlobalOptions  // accepted, as kubectl accepts them everywhere
    @Argument var shell: String

    func run() throws {
        guard let kind = CompletionShell(rawValue: shell) else {
            Terminal.error("unsupported shell type \"\(shell)\"")
            throw ExitCode(1)
        }
        Terminal.out(Kctl.completionScript(for: kind))
    }
}
