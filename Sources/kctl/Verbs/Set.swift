import ArgumentParser
import KubeClient
import KubeModel

struct SetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "set", abstract: "Set specific features on objects.", subcommands: [SetImage.self, SetEnv.self])
}

/// Where a workload keeps its containers: `spec.template.spec` or (pods) `spec`.
enum PodSpecPath {
    static func path(_ r: APIResource) -> [String] { r.kind == "Pod" ? ["spec"] : ["spec", "template", "spec"] }

    /// The pod spec of a pod or of any workload's template, found by the same path the patch
    /// is written to.
    static func podSpec(_ r: APIResource, of obj: JSONValue) -> Pod.Spec { Pod.Spec(obj[path: path(r)] ?? .emptyObject) }

    static func wrap(_ r: APIResource, _ podSpec: JSONValue) -> JSONValue {
        var out: JSONValue = .emptyObject
        out.set(path(r), podSpec)
        return out
    }
}

struct SetImage: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "image", abstract: "Update the image of a pod template.")
    @OptionGroup var global: GlobalOptions
    @Argument var args: [String] = []

    func run() async throws {
        try await Kctl.guarded {
            let session = try global.session()
            let targets = args.filter { !$0.contains("=") }
            let images = args.filter { $0.contains("=") }.map { $0.split(separator: "=", maxSplits: 1).map(String.init) }
            guard !images.isEmpty else { throw KctlError("at least one image update is required") }
            for (r, name) in try await TypeName.parse(targets, session) {
                let path = r.path(namespace: r.namespaced ? session.namespace : nil, name: name)
                let obj = try await session.client.call("GET", path, accept: "application/json, */*")
                let names = PodSpecPath.podSpec(r, of: obj).containers.map(\.name)
                var updates: [JSONValue] = []
                for pair in images {
                    let targetsNames = pair[0] == "*" ? names : [pair[0]]
                    for n in targetsNames {
                        guard names.contains(n) else { throw KctlError("unable to find container named \"\(n)\"") }
                        updates.append(["image": .string(pair[1]), "name": .string(n)])
                    }
                }
                let spec: JSONValue = ["$setElementOrder/containers": .array(names.map { ["name": .string($0)] }), "containers": .array(updates)]
                _ = try await session.client.call("PATCH", path, query: [("fieldManager", "kubectl-set")], body: PodSpecPath.wrap(r, spec),
                                                  contentType: "application/strategic-merge-patch+json")
                Terminal.line("\(r.typePrefix)/\(name) image updated")
            }
        }
    }
}

struct SetEnv: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "env", abstract: "Update environment variables on a pod template.")
    @OptionGroup var global: GlobalOptions
    @Argument var args: [String] = []
    @Option(name: [.short, .customLong("containers")]) var containersFilter = "*"

    func run() async throws {
        try await Kctl.guarded {
            let session = try global.session()
            let targets = args.filter { !$0.contains("=") && !$0.hasSuffix("-") }
            let sets = args.filter { $0.contains("=") }.map { $0.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init) }
            let removals = args.filter { $0.hasSuffix("-") && !$0.contains("=") && !$0.contains("/") }.map { String($0.dropLast()) }
            for (r, name) in try await TypeName.parse(targets, session) {
                let path = r.path(namespace: r.namespaced ? session.namespace : nil, name: name)
                let obj = try await session.client.call("GET", path)
                let names = PodSpecPath.podSpec(r, of: obj).containers.map(\.name)
                var env: [JSONValue] = sets.map { ["name": .string($0[0]), "value": .string($0.count > 1 ? $0[1] : "")] }
                env += removals.map { ["$patch": "delete", "name": .string($0)] }
                let chosen = names.filter { containersFilter == "*" || $0 == containersFilter }
                let spec: JSONValue = ["containers": .array(chosen.map { ["name": .string($0), "env": .array(env)] })]
                _ = try await session.client.call("PATCH", path, query: [("fieldManager", "kubectl-set")], body: PodSpecPath.wrap(r, spec),
                                                  contentType: "application/strategic-merge-patch+json")
                Terminal.line("\(r.typePrefix)/\(name) env updated")
            }
        }
    }
}
