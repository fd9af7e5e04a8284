import ArgumentParser
import Foundation
import KubeClient
import KubeModel

/// `kctl exec`: a command in a running container, over `pods/exec` (WebSocket
/// `v5.channel.k8s.io`), as kubectl's ExecOptions runs it.
struct Exec: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exec", abstract: "Execute a command in a container.",
        usage: "kctl exec (POD | TYPE/NAME) [-c CONTAINER] [flags] -- COMMAND [args...]",
        discussion: """
            Examples:
              # Get output from running the 'date' command from pod mypod, using the first container by default
              kctl exec mypod -- date

              # Get output from running the 'date' command in ruby-container from pod mypod
              kctl exec mypod -c ruby-container -- date

              # Switch to raw terminal mode; sends stdin to 'bash' in ruby-container from pod mypod
              # and sends stdout/stderr from 'bash' back to the client
              kctl exec mypod -c ruby-container -i -t -- bash -il

              # Get output from running 'date' command from the first pod of the deployment mydeployment, using the first container by default
              kctl exec deploy/mydeployment -- date

              # Get output from running 'date' command from the first pod of the service myservice, using the first container by default
              kctl exec svc/myservice -- date
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var flags: StreamFlags
    @Argument(help: "POD or TYPE/NAME") var target: String?
    @Argument(parsing: .postTerminator, help: "The command and its arguments, after --") var command: [String] = []

    func run() async throws {
        try await Kctl.guarded {
            guard let target else { throw KctlError("pod, type/name or --filename must be specified") }
            let argv = command
            guard !argv.isEmpty else { throw KctlError("you must specify at least one command for the container") }
            let timeout = try PodRunningTimeout.parse(flags.podRunningTimeout)
            let session = try global.session()
            let pod = try await AttachablePod.resolve(target, session, timeout: timeout).pod
            let phase = Pod(pod).status.phase ?? ""
            if phase == "Succeeded" || phase == "Failed" {
                throw KctlError("cannot exec into a container in a completed pod; current phase is \(phase)")
            }
            let name = try flags.container ?? AttachablePod.container(pod, named: nil, quiet: flags.quiet)["name"]?.stringValue ?? ""
            let remote = RemoteSession(subresource: "exec", stdin: flags.stdin, tty: flags.tty, quiet: flags.quiet)
            let options = argv.map { ("command", $0) } + [("container", name)]
            try await remote.run(session, pod: pod, options: options, terminal: remote.usesTerminal())
        }
    }
}

/// `--pod-running-timeout`: a Go duration, higher than zero.
enum PodRunningTimeout {
    static func parse(_ text: String) throws -> Duration {
        guard let seconds = LogDuration.seconds(text) else {
            throw KctlError("invalid argument \"\(text)\" for \"--pod-running-timeout\" flag: time: invalid duration \"\(text)\"")
        }
        guard seconds > 0 else { throw KctlError("--pod-running-timeout must be higher than zero") }
        return .milliseconds(Int64(seconds * 1000))
    }
}
