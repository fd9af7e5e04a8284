import ArgumentParser

/// The flags exec and attach share (kubectl's StreamOptions and pod lookup).
struct StreamFlags: ParsableArguments {
    @Option(name: [.short, .customLong("container")], help: "Container name. If omitted, use the kubectl.kubernetes.io/default-container annotation for selecting the container to be attached or the first container in the pod will be chosen")
    var container: String?
    @Option(name: .customLong("pod-running-timeout"), help: "The length of time (like 5s, 2m, or 3h, higher than zero) to wait until at least one pod is running")
    var podRunningTimeout = "1m0s"
    @Flag(name: [.short, .customLong("quiet")], help: "Only print output from the remote session") var quiet = false
    @Flag(name: [.customShort("i"), .customLong("stdin")], help: "Pass stdin to the container") var stdin = false
    @Flag(name: [.short, .customLong("tty")], help: "Stdin is a TTY") var tty = false
}
