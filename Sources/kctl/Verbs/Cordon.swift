import ArgumentParser
import KubeClient
import KubeModel

/// `cordon` and `uncordon`: mark nodes (un)schedulable, as kubectl's cordon helper does.
enum Cordoning {
    /// Node names from `NAME`, `node/NAME` or `nodes/NAME`.
    static func nodeName(_ arg: String) throws -> String {
        let parts = arg.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return arg }
        guard ["node", "nodes", "no"].contains(parts[0]) else { throw KctlError("error: Node name must be specified") }
        return parts[1]
    }

    /// Sets `spec.unschedulable`; returns false when it already had that value.
    static func set(_ session: Session, _ node: JSONValue, unschedulable: Bool) async throws -> Bool {
        let current = Node(node).spec.unschedulable
        guard current != unschedulable else { return false }
        _ = try await session.client.call("PATCH", APIResource.nodes.path(namespace: nil, name: node.metaName),
                                          body: ["spec": ["unschedulable": unschedulable ? true : .null]],
                                          contentType: "application/strategic-merge-patch+json")
        return true
    }

    static func run(_ global: GlobalOptions, _ names: [String], selector: String?, unschedulable: Bool) async throws {
        try await Kctl.guarded {
            let session = try global.session()
            var nodes: [JSONValue] = []
            if let selector {
                nodes = ObjectList(try await session.client.call("GET", APIResource.nodes.path(namespace: nil), query: [("labelSelector", selector)])).items
            } else {
                guard !names.isEmpty else { throw KctlError("resource(s) were provided, but no name was specified") }
                for n in names { nodes.append(try await session.client.call("GET", APIResource.nodes.path(namespace: nil, name: try nodeName(n)))) }
            }
            for node in nodes {
                let changed = try await set(session, node, unschedulable: unschedulable)
                let verb = unschedulable ? "cordoned" : "uncordoned"
                Terminal.line("node/\(node.metaName) \(changed ? verb : "already " + verb)")
            }
        }
    }
}

struct Cordon: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cordon", abstract: "Mark node as unschedulable.")
    @OptionGroup var global: GlobalOptions
    @Argument var nodes: [String] = []
    @Option(name: [.customShort("l"), .customLong("selector")]) var selector: String?

    func run() async throws { try await Cordoning.run(global, nodes, selector: selector, unschedulable: true) }
}

struct Uncordon: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "uncordon", abstract: "Mark node as schedulable.")
    @OptionGroup var global: GlobalOptions
    @Argument var nodes: [String] = []
    @Option(name: [.customShort("l"), .customLong("selector")]) var selector: String?

    func run() async throws { try await Cordoning.run(global, nodes, selector: selector, unschedulable: false) }
}
