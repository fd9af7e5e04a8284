import ArgumentParser
import KubeClient
import KubeModel

/// `label` and `annotate`: a merge patch of metadata.labels / metadata.annotations.
enum MetadataEdit {
    static func run(_ global: GlobalOptions, _ args: [String], field: String, overwrite: Bool, verb: String, manager: String) async throws {
        try await Kctl.guarded {
            let session = try global.session()
            let targets = args.filter { !$0.contains("=") && !($0.hasSuffix("-") && !$0.contains("/")) }
            let sets = args.filter { $0.contains("=") }.map { $0.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init) }
            let removals = args.filter { $0.hasSuffix("-") && !$0.contains("=") && !$0.contains("/") }.map { String($0.dropLast()) }
            guard !sets.isEmpty || !removals.isEmpty else { throw KctlError("at least one \(field == "labels" ? "label" : "annotation") update is required") }
            let resolved: [(APIResource, String)]
            if targets.count == 1 && !targets[0].contains("/") {
                throw KctlError("resource(s) were provided, but no name was specified")
            } else {
                resolved = try await TypeName.parse(targets, session)
            }
            for (r, name) in resolved {
                let path = r.path(namespace: r.namespaced ? session.namespace : nil, name: name)
                let obj = try await session.client.call("GET", path)
                // `field` is "labels" or "annotations", on an object of any kind.
                let existing = obj[path: ["metadata", field]]?.objectValue ?? [:]
                var patch: [String: JSONValue] = [:]
                for s in sets {
                    if !overwrite, let old = existing[s[0]]?.stringValue, old != s[1] {
                        throw KctlError("'\(s[0])' already has a value (\(old)), and --overwrite is false")
                    }
                    patch[s[0]] = .string(s[1])
                }
                for k in removals { patch[k] = .null }
                _ = try await session.client.call("PATCH", path, query: [("fieldManager", manager)], body: ["metadata": [field: .object(patch)].asObject],
                                                  contentType: "application/merge-patch+json")
                Terminal.line("\(r.typePrefix)/\(name) \(verb)")
            }
        }
    }
}

extension Dictionary where Key == String, Value == JSONValue {
    var asObject: JSONValue { .object(self) }
}

struct Label: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "label", abstract: "Update the labels on a resource.")
    @OptionGroup var global: GlobalOptions
    @Argument var args: [String] = []
    @Flag var overwrite = false

    func run() async throws {
        try await MetadataEdit.run(global, args, field: "labels", overwrite: overwrite, verb: "labeled", manager: "kubectl-label")
    }
}

struct Annotate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "annotate", abstract: "Update the annotations on a resource.")
    @OptionGroup var global: GlobalOptions
    @Argument var args: [String] = []
    @Flag var overwrite = false

    func run() async throws {
        try await MetadataEdit.run(global, args, field: "annotations", overwrite: overwrite, verb: "annotated", manager: "kubectl-annotate")
    }
}
