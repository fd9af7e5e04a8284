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
    @Flag(name: [.short, .long]) var previous = false
    @Flag var timestamps = false
    @Flag var prefix = false
    @Option var since: String?
    @Option(name: .customLong("since-time")) var sinceTime: String?
    @Option(name: .customLong("limit-bytes")) var limitBytes: Int = 0
    @Flag(name: .customLong("all-containers")) var allContainers = false

    @Option(name: .customLong("max-log-requests")) var maxLogRequests = 5

    func run() async throws {
        try await Kctl.guarded {
            let options = try requestOptions()
            let session = try global.session()
            let pods = try await podNames(session)
            // kubectl defaults --tail to 10 when a selector picks the pods.
            let tailLines = tail >= 0 ? tail : (selector != nil ? 10 : -1)
            if follow && pods.count > maxLogRequests {
                throw KctlError("you are attempting to follow \(pods.count) log streams, but maximum allowed concurrency is \(maxLogRequests), use --max-log-requests to increase the limit")
            }
            var streams: [LogStream] = []
            for pod in pods {
                for container in try await containerNames(session, pod: pod) {
                    var q: [(String, String)] = [("container", container)]
                    if follow { q.append(("follow", "true")) }
                    if tailLines >= 0 { q.append(("tailLines", String(tailLines))) }
                    if previous { q.append(("previous", "true")) }
                    if timestamps { q.append(("timestamps", "true")) }
                    q += options
                    streams.append(LogStream(path: APIResource.pods.path(namespace: session.namespace, name: pod, subresource: "log"),
                                             query: q, prefix: prefix ? "[pod/\(pod)/\(container)] " : nil))
                }
            }
            let client = session.client
            if follow {
                // Followed streams run side by side, each line printed as it arrives.
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for s in streams { group.addTask { try await s.copy(client) } }
                    try await group.waitForAll()
                }
            } else {
                for s in streams { try await s.copy(client) }
            }
        }
    }

    /// kubectl's checks (LogsOptions.Validate) and the options it adds to every request:
    /// sinceSeconds rounded to a second, sinceTime as RFC 3339, limitBytes when set.
    private func requestOptions() throws -> [(String, String)] {
        var q: [(String, String)] = []
        if sinceTime != nil && since != nil { throw KctlError("at most one of `sinceTime` or `sinceSeconds` may be specified") }
        if allContainers, let container { throw KctlError("--all-containers=true should not be specified with container name \(container)") }
        if limitBytes < 0 { throw KctlError("--limit-bytes must be greater than 0") }
        if tail < -1 { throw KctlError("--tail must be greater than or equal to -1") }
        if let sinceTime {
            guard let t = Timestamp.parse(sinceTime) else {
                throw KctlError("parsing time \"\(sinceTime)\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"\(sinceTime)\" as \"2006\"")
            }
            q.append(("sinceTime", Timestamp.format(t)))
        }
        if let since {
            guard let seconds = LogDuration.seconds(since) else {
                throw KctlError("invalid argument \"\(since)\" for \"--since\" flag: time: invalid duration \"\(since)\"")
            }
            if seconds < 0 { throw KctlError("--since must be greater than 0") }
            // As kubectl: a non-zero --since is sent rounded to the second, even when that is 0.
            if seconds != 0 { q.append(("sinceSeconds", String(Int64(clampingValue: seconds.rounded())))) }
        }
        if limitBytes > 0 { q.append(("limitBytes", String(limitBytes))) }
        return q
    }

    /// The containers to read: with --all-containers every one (init containers first, as
    /// kubectl visits them); else the one asked for, or the pod's default (its
    /// `kubectl.kubernetes.io/default-container` annotation or its first container).
    private func containerNames(_ session: Session, pod: String) async throws -> [String] {
        if let container { return [container] }
        let o = try await session.client.call("GET", APIResource.pods.path(namespace: session.namespace, name: pod))
        let pod = Pod(o)
        let names = pod.spec.containers.map(\.name)
        if allContainers {
            let initNames = (o[path: ["spec", "initContainers"]]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
            return initNames + names
        }
        let annotated = pod.metadata.annotations["kubectl.kubernetes.io/default-container"]
        let chosen = annotated.flatMap { names.contains($0) ? $0 : nil } ?? names.first ?? ""
        if names.count > 1 && annotated == nil {
            Terminal.err("Defaulted container \"\(chosen)\" out of: \(names.joined(separator: ", "))")
        }
        return [chosen]
    }

    private func podNames(_ session: Session) async throws -> [String] {
        if let selector {
            if target != nil { throw KctlError("only one of a selector or a name may be specified") }
            let list = try await session.client.call("GET", "/api/v1/namespaces/\(session.namespace)/pods", query: [("labelSelector", selector)])
            let names = ObjectList(list).items.map(\.metadata.name)
            if names.isEmpty { Terminal.err("No resources found in \(session.namespace) namespace.\n") }
            return names
        }
        guard let target else { throw KctlError("expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command") }
        guard target.contains("/") else { return [target] }
        let parts = target.split(separator: "/", maxSplits: 1).map(String.init)
        let r = try await session.resource(parts[0])
        if r.kind == "Pod" { return [parts[1]] }
        let owner = try await session.client.call("GET", r.path(namespace: session.namespace, name: parts[1]))
        // Deployments, ReplicaSets, StatefulSets and Jobs spell the selector alike.
        let podSelector = Describers.selector(ReplicaSet(owner).spec.selector)
        let pods = try await session.client.call("GET", "/api/v1/namespaces/\(session.namespace)/pods", query: [("labelSelector", podSelector)])
        let items = ObjectList(pods).items
        guard let first = items.first?.metadata.name else { throw KctlError("timed out waiting for the condition") }
        if items.count > 1 { Terminal.err("Found \(items.count) pods, using pod/\(first)\n") }
        return [first]
    }
}

/// One container's log request, copied to stdout as it arrives (a line at a time when prefixed).
struct LogStream: Sendable {
    let path: String
    let query: [(String, String)]
    let prefix: String?

    func copy(_ client: APIClient) async throws {
        var pending: [UInt8] = []
        for try await chunk in client.stream(path: path, query: query, accept: "text/plain") {
            guard let prefix else {
                Terminal.out(String(decoding: chunk, as: UTF8.self))
                continue
            }
            pending += chunk
            while let nl = pending.firstIndex(of: 0x0a) {
                Terminal.out(prefix + String(decoding: pending[...nl], as: UTF8.self))
                pending.removeSubrange(...nl)
            }
        }
        if let prefix, !pending.isEmpty { Terminal.out(prefix + String(decoding: pending, as: UTF8.self) + "\n") }
    }
}

/// Go's time.ParseDuration for `--since` (`90s`, `1h30m`, `1.5h`, `500ms`); nil when malformed.
enum LogDuration {
    static func seconds(_ text: String) -> Double? {
        var rest = Substring(text)
        var sign = 1.0
        if rest.first == "-" || rest.first == "+" { sign = rest.first == "-" ? -1 : 1; rest = rest.dropFirst() }
        if rest == "0" { return 0 }
        guard !rest.isEmpty else { return nil }
        let scales: [(String, Double)] = [("ns", 1e-9), ("us", 1e-6), ("µs", 1e-6), ("ms", 1e-3), ("s", 1), ("m", 60), ("h", 3600)]
        var total = 0.0
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard let value = Double(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            // Longest unit first: "ms" before "m".
            guard let unit = scales.filter({ rest.hasPrefix($0.0) }).max(by: { $0.0.count < $1.0.count }) else { return nil }
            rest = rest.dropFirst(unit.0.count)
            total += value * unit.1
        }
        return sign * total
    }
}
