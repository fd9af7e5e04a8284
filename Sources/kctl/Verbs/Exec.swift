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
    @Option(name: [.short, .customLong("container")], help: "Container name. If omitted, use the kubectl.kubernetes.io/default-container annotation for selecting the container to be attached or the first container in the pod will be chosen")
    var container: String?
    @Option(name: .customLong("pod-running-timeout"), help: "The length of time (like 5s, 2m, or 3h, higher than zero) to wait until at least one pod is running")
    var podRunningTimeout = "1m0s"
    @Flag(name: [.short, .customLong("quiet")], help: "Only print output from the remote session") var quiet = false
    @Flag(name: [.customShort("i"), .customLong("stdin")], help: "Pass stdin to the container") var stdin = false
    @Flag(name: [.short, .customLong("tty")], help: "Stdin is a TTY") var tty = false
    @Argument(help: "POD or TYPE/NAME") var target: String?
    @Argument(parsing: .postTerminator, help: "The command and its arguments, after --") var command: [String] = []

    func run() async throws {
        try await Kctl.guarded {
            guard let target else { throw KctlError("pod, type/name or --filename must be specified") }
            let argv = command
            guard !argv.isEmpty else { throw KctlError("you must specify at least one command for the container") }
            let timeout = try PodRunningTimeout.parse(podRunningTimeout)
            let session = try global.session()
            let pod = try await AttachablePod.resolve(target, session, timeout: timeout).pod
            let phase = Pod(pod).status.phase ?? ""
            if phase == "Succeeded" || phase == "Failed" {
                throw KctlError("cannot exec into a container in a completed pod; current phase is \(phase)")
            }
            let name = try container ?? AttachablePod.container(pod, named: nil, quiet: quiet)["name"]?.stringValue ?? ""
            let remote = RemoteSession(subresource: "exec", stdin: stdin, tty: tty, quiet: quiet)
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
