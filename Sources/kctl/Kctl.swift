import ArgumentParser
import Foundation

@main
struct Kctl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kctl",
        abstract: "kctl controls a Kubernetes cluster (kplane's, or any other): kubectl's verbs, flags and output.",
        subcommands: [
            Get.self, Apply.self, Create.self, Replace.self, Delete.self, Describe.self, Diff.self, Edit.self, Explain.self, Rollout.self, Scale.self, Autoscale.self, Top.self, SetCommand.self, Label.self, Annotate.self,
            Cordon.self, Uncordon.self, Drain.self, TaintCommand.self, Wait.self, Logs.self, Exec.self, Attach.self, PortForward.self, Proxy.self, APIResources.self, APIVersions.self, ClusterInfo.self, Version.self, ConfigCommand.self, Completion.self,
        ])

    /// kubectl takes global flags before the verb too (`kubectl -n x get pods`); the argument
    /// parser wants them after it, so they are moved there.
    static func main() async {
        let args = reorder(Array(CommandLine.arguments.dropFirst()))
        do {
            var command = try parseAsRoot(args)
            if var async = command as? AsyncParsableCommand {
                try await async.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            if code == .success || error is CleanExit { exit(withError: error) }
            if code.rawValue == 64 {
                // A usage mistake: one line and exit 1, as kubectl does.
                let first = fullMessage(for: error).split(separator: "\n").first.map(String.init) ?? "invalid arguments"
                Terminal.err("error: " + first.replacingOccurrences(of: "Error: ", with: "").lowercasedFirst)
                Terminal.err("See 'kctl \(args.first ?? "") -h' for help and examples")
                // diff keeps 1 for "differences found", so its usage errors exit 2.
                Foundation.exit(args.first == Diff.configuration.commandName ? 2 : 1)
            }
            exit(withError: error)
        }
    }

    static let globalWithValue: Set<String> = ["--kubeconfig", "--context", "--cluster", "--user", "-n", "--namespace", "-s", "--server", "--token", "--cache-dir", "--request-timeout"]

    static func reorder(_ args: [String]) -> [String] {
        var leading: [String] = []
        var i = 0
        while i < args.count, args[i].hasPrefix("-") {
            let flag = args[i].split(separator: "=", maxSplits: 1).first.map(String.init) ?? args[i]
            guard globalWithValue.contains(flag) else { break }
            leading.append(args[i])
            if !args[i].contains("="), i + 1 < args.count {
                leading.append(args[i + 1])
                i += 1
            }
            i += 1
        }
        guard !leading.isEmpty, i < args.count else { return args }
        // The verb, and a sub-verb if there is one (`config view`, `create configmap`, `set image`, `top pod`).
        var head = [args[i]]
        if ["config", "create", "set", "rollout", "top"].contains(args[i]), i + 1 < args.count, !args[i + 1].hasPrefix("-") {
            head.append(args[i + 1])
            if args[i + 1] == "secret", i + 2 < args.count, !args[i + 2].hasPrefix("-") { head.append(args[i + 2]) }
        }
        return head + leading + Array(args[(i + head.count)...])
    }

    /// Runs a verb and turns failures into kubectl's one-line messages and exit code 1.
    static func guarded(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let e as ExitCode {
            throw e
        } catch let e as ValidationError {
            throw e
        } catch {
            Terminal.error(ErrorText.describe(error))
            throw ExitCode(1)
        }
    }
}

extension String {
    var lowercasedFirst: String { prefix(1).lowercased() + dropFirst() }
}
