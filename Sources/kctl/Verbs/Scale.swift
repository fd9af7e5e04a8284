import ArgumentParser
import KubeClient
import KubeModel

struct Scale: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "scale", abstract: "Set a new size for a deployment, replica set or stateful set.")

    @OptionGroup var global: GlobalOptions
    @Argument var args: [String] = []
    @Option var replicas: Int
    @Option(name: .customLong("current-replicas")) var currentReplicas: Int = -1

    func run() async throws {
        try await Kctl.guarded {
            let session = try global.session()
            for (r, name) in try await TypeName.parse(args, session) {
                let path = r.path(namespace: r.namespaced ? session.namespace : nil, name: name, subresource: "scale")
                if currentReplicas >= 0 {
                    var scale = try await session.client.call("GET", path)
                    let current = KubeModel.Scale(scale).spec.replicas
                    guard current == Int64(currentReplicas) else {
                        throw KctlError("Expected replicas to be \(currentReplicas), was \(current)")
                    }
                    scale.set(["spec", "replicas"], .int(Int64(replicas)))
                    _ = try await session.client.call("PUT", path, body: scale)
                } else {
                    _ = try await session.client.call("PATCH", path, body: ["spec": ["replicas": .int(Int64(replicas))]], contentType: "application/merge-patch+json")
                }
                Terminal.line("\(r.typePrefix)/\(name) scaled")
            }
        }
    }
}

/// `TYPE NAME...` or `TYPE/NAME...` arguments.
enum TypeName {
    static func parse(_ args: [String], _ session: Session) async throws -> [(APIResource, String)] {
        guard let first = args.first else { throw KctlError("You must provide one or more resources by argument or filename.") }
        if first.contains("/") {
            return try await args.asyncMap { a in
                let parts = a.split(separator: "/", maxSplits: 1).map(String.init)
                return (try await session.resource(parts[0]), parts.count > 1 ? parts[1] : "")
            }
        }
        let r = try await session.resource(first)
        let names = Array(args.dropFirst())
        guard !names.isEmpty else { throw KctlError("resource(s) were provided, but no name was specified") }
        return names.map { (r, $0) }
    }
}
