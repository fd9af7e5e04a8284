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
