import ArgumentParser
import Foundation
import KubeClient
import KubeModel

struct Delete: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete resources by file names, stdin, resources and names, or by resources and label selector.")

    @OptionGroup var global: GlobalOptions
    @Argument var args: [String] = []
    @Option(name: [.short, .customLong("filename")]) var filenames: [String] = []
    @Flag(name: [.customShort("R"), .customLong("recursive")]) var recursive = false
    @Option(name: [.customShort("l"), .customLong("selector")]) var selector: String?
    @Flag(name: .customLong("all")) var all = false
    @Option(name: .customLong("cascade"), help: "background, foreground or orphan.") var cascade = "background"
    @Option(name: .customLong("grace-period")) var gracePeriod: Int = -1
    @Flag(name: .customLong("now")) var now = false
    @Flag(name: .customLong("force")) var force = false
    @Option(name: .customLong("wait"), help: "Wait for resources to be gone before returning.") var wait = "true"
    @Flag(name: .customLong("ignore-not-found")) var ignoreNotFound = false

    func options() throws -> JSONValue {
        let policy: String
        switch cascade {
        case "background", "true": policy = "Background"
        case "foreground": policy = "Foreground"
        case "orphan", "false": policy = "Orphan"
        default: throw KctlError("invalid cascade value (\(cascade)). Must be \"background\", \"foreground\", or \"orphan\"")
        }
        var o: JSONValue = ["propagationPolicy": .string(policy)]
        if now { o["gracePeriodSeconds"] = 1 }
        if gracePeriod >= 0 { o["gracePeriodSeconds"] = .int(Int64(force && gracePeriod == 0 ? 0 : gracePeriod)) }
        return o
    }

    func run() async throws {
        try await Kctl.guarded {
            let session = try global.session()
            let targets = try await collect(session)
            let body = try options()
            var failed = false
            var deleted: [ResourceTarget] = []
            for t in targets {
                do {
                    _ = try await session.client.call("DELETE", t.resource.path(namespace: t.namespace, name: t.name), body: body)
                    Terminal.line("\(t.resource.typePrefix) \"\(t.name)\" deleted")
                    deleted.append(t)
                } catch let e as APIStatusError where e.code == 404 && ignoreNotFound {
                    continue
                } catch let e as APIStatusError {
                    let message = t.source.map { "error when deleting \"\($0)\": \(e.message)" } ?? e.message
                    Terminal.err(ErrorText.server(APIStatusError(code: e.code, reason: e.reason, message: message)))
                    failed = true
                }
            }
            if wait != "false" && !failed {
                for t in deleted { try await waitGone(t, session) }
            }
            if failed { throw ExitCode(1) }
        }
    }

    /// Polls until the object is gone, as `--wait` does (kubectl watches; a short poll is enough here).
    func waitGone(_ t: ResourceTarget, _ session: Session) async throws {
        let deadline = Date().addingTimeInterval(3600)
        while Date() < deadline {
            let r = try await session.client.send(method: "GET", path: t.resource.path(namespace: t.namespace, name: t.name), query: [], body: nil, contentType: nil, accept: "application/json")
            if r.status == 404 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    func collect(_ session: Session) async throws -> [ResourceTarget] {
        let finder = ResourceTargets(filenames: filenames, recursive: recursive, selector: selector, all: all)
        let out = try await finder.collect(args, session)
        if out.isEmpty { Terminal.err("No resources found") }
        return out
    }
}
