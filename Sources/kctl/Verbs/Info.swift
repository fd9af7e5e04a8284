import ArgumentParser
import Foundation
import KubeClient
import KubeModel

struct Version: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Print the client and server version information.")
    static let client = "v1.32.0+kctl"

    @OptionGroup var global: GlobalOptions
    @Flag(name: .customLong("client"), help: "If true, shows client version only (no server required).") var clientOnly = false
    @Option(name: [.short, .customLong("output")]) var output: String?

    func run() async throws {
        if clientOnly {
            Terminal.out(output == "json" ? JSONSerializer.pretty(["clientVersion": ["gitVersion": .string(Self.client)]]) + "\n" : "Client Version: \(Self.client)\n")
            return
        }
        try await Kctl.guarded {
            Terminal.line("Client Version: \(Self.client)")
            let session = try global.session()
            let v = try await session.client.call("GET", "/version")
            Terminal.line("Server Version: \(v["gitVersion"]?.stringValue ?? "")")
        }
    }
}

struct APIResources: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "api-resources", abstract: "Print the supported API resources on the server.")
    @OptionGroup var global: GlobalOptions
    @Option(name: [.short, .customLong("output")]) var output: String?
    @Option(name: .customLong("namespaced")) var namespaced: Bool?
    @Option(name: .customLong("api-group")) var apiGroup: String?

    func run() async throws {
        try await Kctl.guarded {
            let session = try global.session()
            var seen = Set<String>()
            let resources = try await session.resources(refresh: true).resources
                .filter { seen.insert("\($0.group)/\($0.plural)").inserted }
                .filter { namespaced == nil || $0.namespaced == namespaced }
                .filter { apiGroup == nil || $0.group == apiGroup }
                .sorted { ($0.group, $0.plural) < ($1.group, $1.plural) }
            if output == "name" {
                Terminal.out(resources.map { ($0.group.isEmpty ? $0.plural : "\($0.plural).\($0.group)") + "\n" }.joined())
                return
            }
            var t = TableWriter()
            var header = ["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"]
            if output == "wide" { header += ["VERBS", "CATEGORIES"] }
            t.add(header)
            for r in resources {
                var row = [r.plural, r.shortNames.joined(separator: ","), r.groupVersion, r.namespaced ? "true" : "false", r.kind]
                if output == "wide" { row += ["[" + r.verbs.joined(separator: " ") + "]", r.categories.joined(separator: ",")] }
                t.add(row)
            }
            Terminal.out(t.render())
        }
    }
}

struct APIVersions: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "api-versions", abstract: "Print the supported API versions on the server, in the form of \"group/version\".")
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await Kctl.guarded {
            let session = try global.session()
            let versions = Set(try await session.resources(refresh: true).resources.map(\.groupVersion)).sorted()
            Terminal.out(versions.map { $0 + "\n" }.joined())
        }
    }
}
