import Foundation
import KubeModel

/// Why a container could not start once its image and configuration were ready: the runtime's
/// error, reported as containerd does (`StartError`, exit code 128).
struct ContainerStartError: Error {
    let message: String
}

/// How a container's process is put together from its spec and image, as the kubelet and
/// containerd do: `command` replaces the image's ENTRYPOINT (and drops its CMD), `args` replaces
/// CMD; `$(VAR)` references expand against the container's environment; the image's ENV comes
/// first and the container's `env` overrides it.
struct ContainerLaunch {
    static let defaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

    let argv: [String]
    let env: [String]
    let workingDir: String

    init(container: Container, image: ContainerImage, env containerEnv: [(String, String)], extra: [(String, String)]) throws {
        var merged: [(String, String)] = []
        var index: [String: Int] = [:]
        func set(_ k: String, _ v: String) {
            if let i = index[k] { merged[i].1 = v } else { index[k] = merged.count; merged.append((k, v)) }
        }
        set("PATH", Self.defaultPath)
        for kv in image.config.env {
            let parts = kv.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            set(String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
        }
        for (k, v) in extra { set(k, v) }
        for (k, v) in containerEnv { set(k, v) }
        // ExpandContainerCommandAndArgs: `$(VAR)` in the pod's command and args refers to the
        // container's own environment (not the image's ENV); the image's ENTRYPOINT and CMD are
        // left as written.
        var values: [String: String] = [:]
        for (k, v) in containerEnv { values[k] = v }
        let command = container.command.map { ContainerEnvironment.expand($0, values) }
        let args = container.args.map { ContainerEnvironment.expand($0, values) }

        let argv: [String]
        if !command.isEmpty {
            argv = command + args
        } else if !args.isEmpty {
            argv = image.config.entrypoint + args
        } else {
            argv = image.config.entrypoint + image.config.cmd
        }
        guard !argv.isEmpty else {
            throw ContainerStartError(message: "failed to create containerd container: no command specified")
        }
        self.argv = argv
        env = merged.map { "\($0.0)=\($0.1)" }
        let wd = container.workingDir.isEmpty ? image.config.workingDir : container.workingDir
        workingDir = wd.isEmpty ? "/" : wd
    }

    /// The executable `argv[0]` names, looked up on the container's PATH, as runc does: in the
    /// image's files first, then the host's (images that map to the host use its runtimes).
    func executable(rootfs: String?) throws -> String {
        let name = argv[0]
        let path = env.first { $0.hasPrefix("PATH=") }.map { String($0.dropFirst(5)) } ?? Self.defaultPath
        func runnable(_ p: String) -> Bool {
            var isDir: ObjCBool = false
            return FileManager.default.fileExists(atPath: p, isDirectory: &isDir) && !isDir.boolValue && access(p, X_OK) == 0
        }
        let roots = [rootfs, ""].compactMap { $0 }
        if name.contains("/") {
            let inImage = name.hasPrefix("/") ? name : workingDir + "/" + name
            for root in roots where runnable(root + inImage) { return root + inImage }
            throw ContainerStartError(message: Self.runcError("exec: \"\(name)\": stat \(name): no such file or directory"))
        }
        for dir in path.split(separator: ":") {
            for root in roots where runnable(root + dir + "/" + name) { return root + dir + "/" + name }
        }
        throw ContainerStartError(message: Self.runcError("exec: \"\(name)\": executable file not found in $PATH"))
    }

    /// containerd's wording of runc's start failures, as `kubectl describe pod` shows them.
    static func runcError(_ what: String) -> String {
        "failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: \(what): unknown"
    }
}
