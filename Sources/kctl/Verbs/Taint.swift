import ArgumentParser
import KubeClient
import KubeModel

/// `taint node NAME key=value:Effect` (add), `key:Effect-` or `key-` (remove), as kubectl's.
struct TaintCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "taint", abstract: "Update the taints on one or more nodes.")
    @OptionGroup var global: GlobalOptions
    @Argument var args: [String] = []
    @Flag var overwrite = false
    @Option(name: [.customShort("l"), .customLong("selector")]) var selector: String?

    static let effects = ["NoSchedule", "PreferNoSchedule", "NoExecute"]

    /// `key[=value]:Effect`, checked as kubectl checks it.
    static func parse(_ spec: String) throws -> Taint {
        let parts = spec.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let kv = parts[0].split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, !kv[0].isEmpty else { throw KctlError("invalid taint spec: \(spec)") }
        guard effects.contains(parts[1]) else {
            throw KctlError("invalid taint effect: \(parts[1]), unsupported taint effect")
        }
        return Taint(key: kv[0], value: kv.count > 1 ? kv[1] : "", effect: parts[1])
    }

    func run() async throws {
        try await Kctl.guarded {
            let session = try global.session()
            var rest = args[...]
            guard let type = rest.popFirst() else { throw KctlError("at least one taint update is required") }
            let nodes: [String]
            if type.contains("/") {
                nodes = [try Cordoning.nodeName(type)]
            } else {
                guard ["node", "nodes", "no"].contains(type) else { throw KctlError("invalid resource type \(type), only node types are supported") }
                if let selector {
                    let list = try await session.client.call("GET", APIResource.nodes.path(namespace: nil), query: [("labelSelector", selector)])
                    nodes = ObjectList(list).items.map(\.metadata.name)
                } else {
                    guard let n = rest.popFirst() else { throw KctlError("at least one taint update is required") }
                    nodes = [n]
                }
            }
            // Words that are no taint spec are more node names, as kubectl reads them.
            let updates = rest.filter { $0.contains(":") || $0.contains("=") || $0.hasSuffix("-") }
            guard !updates.isEmpty else { throw KctlError("at least one taint update is required") }
            var adds: [Taint] = [], removals: [(key: String, effect: String?)] = []
            for u in updates {
                if u.hasSuffix("-") {
                    let spec = String(u.dropLast())
                    let parts = spec.split(separator: ":", maxSplits: 1).map(String.init)
                    removals.append((String(parts[0].split(separator: "=").first ?? ""), parts.count > 1 ? parts[1] : nil))
                } else {
                    adds.append(try Self.parse(u))
                }
            }
            for name in nodes {
                let path = APIResource.nodes.path(namespace: nil, name: name)
                var node = try await session.client.call("GET", path)
                var taints = Taint.of(node: node)
                var replaced = false
                for t in adds {
                    if let i = taints.firstIndex(where: { $0.key == t.key && $0.effect == t.effect }) {
                        guard overwrite else {
                            throw KctlError("node \(name) already has \(t.key) taint(s) with same effect(s) and --overwrite is false")
                        }
                        taints[i] = t
                        replaced = true
                    } else {
                        taints.append(t)
                    }
                }
                for r in removals {
                    let before = taints.count
                    taints.removeAll { $0.key == r.key && (r.effect == nil || $0.effect == r.effect) }
                    if taints.count == before {
                        throw KctlError("taint \"\(r.key)\(r.effect.map { ":" + $0 } ?? "")\" not found")
                    }
                }
                node.set(["spec", "taints"], taints.isEmpty ? nil : .array(taints.map(\.json)))
                _ = try await session.client.call("PUT", path, query: [("fieldManager", "kubectl-taint")], body: node)
                Terminal.line("node/\(name) \(replaced || (!adds.isEmpty && !removals.isEmpty) ? "modified" : adds.isEmpty ? "untainted" : "tainted")")
            }
        }
    }
}
