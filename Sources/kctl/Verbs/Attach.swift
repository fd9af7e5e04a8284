import ArgumentParser
import Foundation
import KubeClient
import KubeModel

/// `kctl attach`: the streams of a container's running process, over `pods/attach` (the same
/// channels as exec), as kubectl's AttachOptions runs it.
struct Attach: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attach", abstract: "Attach to a process that is already running inside an existing container.",
        usage: "kctl attach (POD | TYPE/NAME) -c CONTAINER [options]",
        discussion: """
            Examples:
              # Get output from running pod mypod; use the 'kubectl.kubernetes.io/default-container' annotation
              # for selecting the container to be attached or the first container in the pod will be chosen
              kctl attach mypod

              # Get output from ruby-container from pod mypod
              kctl attach mypod -c ruby-container

              # Switch to raw terminal mode; sends stdin to 'bash' in ruby-container from pod mypod
              # and sends stdout/stderr from 'bash' back to the client
              kctl attach mypod -c ruby-container -i -t

              # Get output from the first pod of a replica set named nginx
              kctl attach rs/nginx
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var flags: StreamFlags
    @Argument(help: "POD, TYPE/NAME or TYPE NAME") var resources: [String] = []

    func run() async throws {
        try await Kctl.guarded {
            guard !resources.isEmpty else { throw KctlError("at least 1 argument is required for attach") }
            guard resources.count <= 2 else {
                throw KctlError("expected POD, TYPE/NAME, or TYPE NAME, (at most 2 arguments) saw \(resources.count): [\(resources.joined(separator: " "))]")
            }
            let timeout = try PodRunningTimeout.parse(flags.podRunningTimeout)
            let session = try global.session()
            let target = resources.count == 2 ? resources.joined(separator: "/") : resources[0]
            let pod = try await AttachablePod.resolve(target, session, timeout: timeout).pod
            let phase = Pod(pod).status.phase ?? ""
            if phase == "Succeeded" || phase == "Failed" {
                throw KctlError("cannot attach a container in a completed pod; current phase is \(phase)")
            }
            let chosen = try AttachablePod.container(pod, named: flags.container, quiet: flags.quiet)
            let name = chosen["name"]?.stringValue ?? ""
            // The container's own TTY decides: kubectl forces one on, or drops ours, to match it.
            var useTTY = flags.tty
            let containerTTY = chosen["tty"]?.boolValue ?? false
            if useTTY && !containerTTY {
                useTTY = false
                if !flags.quiet { Terminal.err("error: Unable to use a TTY - container \(name) did not allocate one") }
            } else if !useTTY && containerTTY {
                useTTY = true
            }
            let remote = RemoteSession(subresource: "attach", stdin: flags.stdin, tty: useTTY, quiet: flags.quiet)
            let terminal = remote.usesTerminal()
            if !flags.quiet { Terminal.err("If you don't see a command prompt, try pressing enter.") }
            try await remote.run(session, pod: pod, options: [("container", name)], terminal: terminal)
            if !flags.quiet && flags.stdin && terminal && Pod(pod).spec.restartPolicy == "Always" {
                Terminal.line("Session ended, resume using 'kctl attach \(pod.metadata.name) -c \(name) -i -t' command when the pod is running")
            }
        }
    }
}
