import ArgumentParser
import KubeModel
import Nodes

/// The kubelet's `--container-log-max-size` and `--container-log-max-files`, for process nodes.
struct KubeletLogFlags: ParsableArguments {
    @Option(name: .customLong("container-log-max-size"),
            help: "Size at which a container's log file is rotated (a quantity, such as 10Mi).") var maxSize = "10Mi"
    @Option(name: .customLong("container-log-max-files"),
            help: "Log files kept per container, the live one included (at least 2).") var maxFiles = 5

    /// Checked as the command line is parsed, before anything starts.
    func validate() throws { _ = try policy() }

    func policy() throws -> ContainerLogPolicy {
        // The kubelet's validation of its configuration, worded as it words it.
        guard let q = Quantity(maxSize), q.value >= 1 else {
            throw ValidationError("invalid configuration: containerLogMaxSize must be a positive quantity, got \"\(maxSize)\"")
        }
        guard maxFiles > 1 else { throw ValidationError("invalid configuration: containerLogMaxFiles (--container-log-max-files) \(maxFiles) must be greater than 1") }
        return ContainerLogPolicy(maxSize: Int(Int64(clampingValue: q.value)), maxFiles: maxFiles)
    }
}
