import ArgumentParser
import Foundation
import KubeClient
import KubeModel

/// `rollout restart|pause|resume`: one strategic merge patch each, refused client-side when it
/// would do nothing, with kubectl's messages.
enum RolloutControl {
    static func run(_ global: GlobalOptions, _ args: [String], verb: String, patch: @escaping (JSONValue) throws -> JSONValue) async throws {
        try await Kctl.guarded {
            let session = try global.session()
            for (r, name) in try await TypeName.parse(args, session) {
                let path = r.path(namespace: session.namespace, name: name)
                let d = try await session.client.call("GET", path, accept: "application/json, */*")
                _ = try await session.client.call("PATCH", path, query: [("fieldManager", "kubectl-rollout")], body: try patch(d),
                                                  contentType: "application/strategic-merge-patch+json")
                Terminal.line("\(r.typePrefix)/\(name) \(verb)")
            }
        }
    }
}

struct RolloutRestart: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "restart", abstract: "Restart a resource.")
    @OptionGroup var global: GlobalOptions
    @Argument var args: [String] = []

    func run() async throws {
        try await RolloutControl.run(global, args, verb: "restarted") { d in
            if Deployment(d).spec.paused {
                throw KctlError("deployments.apps \"\(Deployment(d).metadata.name)\" can't restart paused deployment (run rollout resume first)")
            }
            return ["spec": ["template": ["metadata": ["annotations": ["kubectl.kubernetes.io/restartedAt": .string(Timestamp.format(Date()))]]]]]
        }
    }
}

struct RolloutPause: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pause", abstract: "Mark the provided resource as paused.")
    @OptionGroup var global: GlobalOptions
    @Argument var args: [String] = []

    func run() async throws {
        try await RolloutControl.run(global, args, verb: "paused") { d in
            if Deployment(d).spec.paused { throw KctlError("deployments.apps \"\(Deployment(d).metadata.name)\" is already paused") }
            return ["spec": ["paused": true]]
        }
    }
}

struct RolloutResume: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "resume", abstract: "Resume a paused resource.")
    @OptionGroup var global: GlobalOptions
    @Argument var args: [String] = []

    func run() async throws {
        try await RolloutControl.run(global, args, verb: "resumed") { d in
            if !Deployment(d).spec.paused { throw KctlError("deployments.apps \"\(Deployment(d).metadata.name)\" is not paused") }
            return ["spec": ["paused": nil]]
        }
    }
}

struct RolloutStatus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show the status of the rollout.")
    @OptionGroup var global: GlobalOptions
    @Argument var args: [String] = []
    @Option(name: [.short, .customLong("watch")]) var watch = true
    @Option var timeout: String = "0s"
    @Option var revision: Int64 = 0

    /// kubectl's DeploymentStatusViewer: the message, and whether the rollout is done.
    static func status(_ json: JSONValue, revision: Int64) throws -> (String, Bool) {
        let d = Deployment(json), name = d.metadata.name, status = d.status
        if revision > 0 {
            let current = d.metadata.annotations[DeploymentHistory.revision].flatMap { Int64($0) } ?? 0
            if current != revision { throw KctlError("desired revision (\(revision)) is different from the running revision (\(current))") }
        }
        guard d.metadata.generation <= status.observedGeneration else { return ("Waiting for deployment spec update to be observed...", false) }
        if status.conditions[type: "Progressing"]?.reason == "ProgressDeadlineExceeded" {
            throw KctlError("deployment \"\(name)\" exceeded its progress deadline")
        }
        let want = d.spec.replicas ?? 1
        if status.updatedReplicas < want {
            return ("Waiting for deployment \"\(name)\" rollout to finish: \(status.updatedReplicas) out of \(want) new replicas have been updated...", false)
        }
        if status.replicas > status.updatedReplicas {
            return ("Waiting for deployment \"\(name)\" rollout to finish: \(status.replicas - status.updatedReplicas) old replicas are pending termination...", false)
        }
        if status.availableReplicas < status.updatedReplicas {
            return ("Waiting for deployment \"\(name)\" rollout to finish: \(status.availableReplicas) of \(status.updatedReplicas) updated replicas are available...", false)
        }
        return ("deployment \"\(name)\" successfully rolled out", true)
    }

    static func seconds(_ text: String) -> Double {
        var total = 0.0
        var number = ""
        for ch in text {
            if ch.isNumber || ch == "." { number.append(ch); continue }
            let v = Double(number) ?? 0
            number = ""
            switch ch {
            case "h": total += v * 3600
            case "m": total += v * 60
            case "s": total += v
            default: break
            }
        }
        return total + (Double(number) ?? 0)
    }

    func run() async throws {
        try await Kctl.guarded {
            let session = try global.session()
            guard let (r, name) = try await TypeName.parse(args, session).first else { return }
            guard r.kind == "Deployment" else { throw KctlError("no status viewer has been implemented for \(r.kind)") }
            let limit = Self.seconds(timeout)
            let work = Task {
                var last = ""
                let collection = r.path(namespace: session.namespace)
                while true {
                    let list = ObjectList(try await session.client.call("GET", collection, query: [("fieldSelector", "metadata.name=\(name)")]))
                    guard let d = list.items.first else { throw KctlError("deployments.apps \"\(name)\" not found") }
                    var (message, done) = try Self.status(d, revision: revision)
                    if message != last { Terminal.line(message); last = message }
                    if done || !watch { return }
                    let rv = list.metadata.resourceVersion ?? "0"
                    for try await event in session.client.watch(path: collection, query: [
                        ("fieldSelector", "metadata.name=\(name)"), ("resourceVersion", rv), ("watch", "true"),
                        ("allowWatchBookmarks", "true"), ("timeoutSeconds", "300"),
                    ], accept: "application/json") {
                        if event.type == "DELETED" { throw KctlError("object has been deleted") }
                        guard event.type == "ADDED" || event.type == "MODIFIED" else { continue }
                        (message, done) = try Self.status(event.object, revision: revision)
                        if message != last { Terminal.line(message); last = message }
                        if done { return }
                    }
                }
            }
            if limit > 0 {
                let timer = Task {
                    try await Task.sleep(for: .seconds(limit))
                    work.cancel()
                }
                defer { timer.cancel() }
                do {
                    try await work.value
                } catch is CancellationError {
                    throw KctlError("timed out waiting for the condition")
                } catch {
                    if work.isCancelled { throw KctlError("timed out waiting for the condition") }
                    throw error
                }
            } else {
                try await work.value
            }
        }
    }
}
