import ArgumentParser
import Foundation
import KubeClient
import KubeModel

/// `kctl logs`: one pod, the first pod of a workload (`deploy/x`), or every pod a selector picks
/// (`-l`), read from the `pods/log` subresource as kubectl reads it.
struct Logs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "logs", abstract: "Print the logs for a container in a pod.")
    @OptionGroup var global: GlobalOptions
    @Argument var target: String?
    @Option(name: [.short, .customLong("container")]) var container: String?
    @Option(name: [.customShort("l"), .customLong("selector")]) var selector: String?
    @Flag(name: [.short, .customLong("follow")]) var follow = false
    @Option var tail: Int = -1
    @Flag var previous = false
    @Flag var timestamps = false
    @Flag var prefix = false

    func run() async throws {
        try await Kctl.guarded {
            let session = try global.session()
            let pods = try await podNames(session)
            // kubectl defaults --tail to 10 when a selector picks the pods.
            let tailLines = tail >= 0 ? tail : (selector != nil ? 10 : -1)
            for pod in pods {
                let text = try await log(session, pod: pod, tailLines: tailLines)
                if prefix {
                    for line in text.split(separator: "\n") { Terminal.out("[pod/\(pod)/\(container ?? "")] \(line)\n") }
                } else {
                    Terminal.out(text)
                }
            }
        }
    }

    private func podNames(_ session: Session) async throws -> [String] {
        if let selector {
            if target != nil { throw KctlError("only one of a selector or a name may be specified") }
            let list = try await session.client.call("GET", "/api/v1/namespaces/\(session.namespace)/pods", query: [("labelSelector", selector)])
            let names = (list["items"]?.arrayValue ?? []).compactMap { $0[path: ["metadata", "name"]]?.stringValue }
            if names.isEmpty { Terminal.err("No resources found in \(session.namespace) namespace.\n") }
            return names
        }
        guard let target else { throw KctlError("expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command") }
        guard target.contains("/") else { return [target] }
        let parts = target.split(separator: "/", maxSplits: 1).map(String.init)
        let r = try await session.resource(parts[0])
        if r.kind == "Pod" { return [parts[1]] }
        let owner = try await session.client.call("GET", r.path(namespace: session.namespace, name: parts[1]))
        let podSelector = Describers.selector(owner[path: ["spec", "selector"]])
        let pods = try await session.client.call("GET", "/api/v1/namespaces/\(session.namespace)/pods", query: [("labelSelector", podSelector)])
        let items = pods["items"]?.arrayValue ?? []
        guard let first = items.first?[path: ["metadata", "name"]]?.stringValue else { throw KctlError("timed out waiting for the condition") }
        if items.count > 1 { Terminal.err("Found \(items.count) pods, using pod/\(first)\n") }
        return [first]
    }

    private func log(_ session: Session, pod: String, tailLines: Int) async throws -> String {
        var q: [(String, String)] = []
        if let container { q.append(("container", container)) }
        if follow { q.append(("follow", "true")) }
        if tailLines >= 0 { q.append(("tailLines", String(tailLines))) }
        if previous { q.append(("previous", "true")) }
        if timestamps { q.append(("timestamps", "true")) }
        let r = try await session.client.send(method: "GET", path: "/api/v1/namespaces/\(session.namespace)/pods/\(pod)/log", query: q, body: nil, contentType: nil, accept: "text/plain")
        guard (200..<300).contains(r.status) else {
            throw APIStatusError(code: r.status, reason: r.json?["reason"]?.stringValue ?? "", message: r.json?["message"]?.stringValue ?? String(decoding: r.body, as: UTF8.self))
        }
        return String(decoding: r.body, as: UTF8.self)
    }
}
