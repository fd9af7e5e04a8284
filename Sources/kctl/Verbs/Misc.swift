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

struct Wait: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "wait", abstract: "Wait for a specific condition on one or many resources.")
    @OptionGroup var global: GlobalOptions
    @Argument var args: [String] = []
    @Option(name: .customLong("for")) var condition: String
    @Option var timeout: String = "30s"

    func met(_ o: JSONValue?) -> Bool {
        if condition == "delete" { return o == nil }
        guard let o else { return false }
        if condition.hasPrefix("condition=") {
            let spec = condition.dropFirst("condition=".count).split(separator: "=", maxSplits: 1).map(String.init)
            let want = spec.count > 1 ? spec[1] : "True"
            return (o[path: ["status", "conditions"]]?.arrayValue ?? []).contains {
                $0["type"]?.stringValue?.lowercased() == spec[0].lowercased() && $0["status"]?.stringValue?.lowercased() == want.lowercased()
            }
        }
        if condition.hasPrefix("jsonpath=") {
            let expr = condition.dropFirst("jsonpath=".count).split(separator: "=", maxSplits: 1).map(String.init)
            guard var path = expr.first else { return false }
            if path.hasPrefix("{") && path.hasSuffix("}") { path = String(path.dropFirst().dropLast()) }
            guard let steps = try? JSONPath.Parser.steps(path) else { return false }
            let got = JSONPath.evaluate(steps, [o]).map(JSONPath.text).joined(separator: " ")
            return expr.count > 1 ? got == expr[1] : !got.isEmpty
        }
        return false
    }

    func run() async throws {
        try await Kctl.guarded {
            let session = try global.session()
            let deadline = Date().addingTimeInterval(RolloutStatus.seconds(timeout))
            for (r, name) in try await TypeName.parse(args, session) {
                let path = r.path(namespace: r.namespaced ? session.namespace : nil, name: name)
                while true {
                    let resp = try await session.client.send(method: "GET", path: path, query: [], body: nil, contentType: nil, accept: "application/json")
                    if resp.status == 404 && condition != "delete" { throw APIStatusError(code: 404, reason: "NotFound", message: "\(r.qualifiedPlural) \"\(name)\" not found") }
                    if met(resp.status == 404 ? nil : resp.json) {
                        Terminal.line("\(r.typePrefix)/\(name) \(condition == "delete" ? "deleted" : "condition met")")
                        break
                    }
                    if Date() > deadline { throw KctlError("timed out waiting for the condition on \(r.plural)/\(name)") }
                    try await Task.sleep(for: .milliseconds(200))
                }
            }
        }
    }
}

struct Logs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "logs", abstract: "Print the logs for a container in a pod.")
    @OptionGroup var global: GlobalOptions
    @Argument var target: String
    @Option(name: [.short, .customLong("container")]) var container: String?
    @Flag(name: [.short, .customLong("follow")]) var follow = false
    @Option var tail: Int = -1
    @Flag var previous = false
    @Flag var timestamps = false

    func run() async throws {
        try await Kctl.guarded {
            let session = try global.session()
            var pod = target
            if target.contains("/") {
                let parts = target.split(separator: "/", maxSplits: 1).map(String.init)
                let r = try await session.resource(parts[0])
                if r.kind != "Pod" {
                    let owner = try await session.client.call("GET", r.path(namespace: session.namespace, name: parts[1]))
                    let selector = Describers.selector(owner[path: ["spec", "selector"]])
                    let pods = try await session.client.call("GET", "/api/v1/namespaces/\(session.namespace)/pods", query: [("labelSelector", selector)])
                    guard let first = pods["items"]?.arrayValue?.first?[path: ["metadata", "name"]]?.stringValue else {
                        throw KctlError("timed out waiting for the condition")
                    }
                    if (pods["items"]?.arrayValue?.count ?? 0) > 1 { Terminal.err("Found \(pods["items"]?.arrayValue?.count ?? 0) pods, using pod/\(first)") }
                    pod = first
                } else {
                    pod = parts[1]
                }
            }
            var q: [(String, String)] = []
            if let container { q.append(("container", container)) }
            if follow { q.append(("follow", "true")) }
            if tail >= 0 { q.append(("tailLines", String(tail))) }
            if previous { q.append(("previous", "true")) }
            if timestamps { q.append(("timestamps", "true")) }
            let r = try await session.client.send(method: "GET", path: "/api/v1/namespaces/\(session.namespace)/pods/\(pod)/log", query: q, body: nil, contentType: nil, accept: "text/plain")
            guard (200..<300).contains(r.status) else {
                let e = APIStatusError(code: r.status, reason: r.json?["reason"]?.stringValue ?? "", message: r.json?["message"]?.stringValue ?? String(decoding: r.body, as: UTF8.self))
                throw e
            }
            Terminal.out(String(decoding: r.body, as: UTF8.self))
        }
    }
}
