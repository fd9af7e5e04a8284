import ArgumentParser
import Foundation
import KubeClient
import KubeModel
import KubeYAML

struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Modify kubeconfig files.",
        subcommands: [View.self, CurrentContext.self, UseContext.self, GetContexts.self, SetContext.self])

    /// Reads the first kubeconfig file as a document to edit, and writes it back.
    static func edit(kubeconfig: String?, _ change: (inout JSONValue) throws -> Void) throws {
        let path = Kubeconfig.paths(explicit: kubeconfig)[0]
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        var doc = (try YAMLDecoding.documents(text)).first ?? ["apiVersion": "v1", "kind": "Config"]
        try change(&doc)
        try YAMLEncoding.string(doc).write(toFile: path, atomically: true, encoding: .utf8)
    }

    struct View: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "view", abstract: "Display merged kubeconfig settings.")
        @OptionGroup var global: GlobalOptions
        @Flag var minify = false
        @Option(name: [.short, .customLong("output")]) var output = "yaml"

        func run() throws {
            var doc = try global.loadConfig().document
            if minify {
                // The kubeconfig is a file kctl edits as a document, not an API object: it is
                // read and written back field by field, unknown fields kept.
                let current = doc["current-context"]?.stringValue ?? ""
                let ctx = doc["contexts"]?.arrayValue?.first { $0["name"]?.stringValue == current }
                doc["contexts"] = .array(ctx.map { [$0] } ?? [])
                doc["clusters"] = .array((doc["clusters"]?.arrayValue ?? []).filter { $0["name"] == ctx?[path: ["context", "cluster"]] })
                doc["users"] = .array((doc["users"]?.arrayValue ?? []).filter { $0["name"] == ctx?[path: ["context", "user"]] })
            }
            Terminal.out(output == "json" ? JSONSerializer.pretty(doc) + "\n" : YAMLEncoding.string(doc))
        }
    }

    struct CurrentContext: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "current-context", abstract: "Display the current-context.")
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let config = try global.loadConfig()
            guard !config.currentContext.isEmpty else {
                Terminal.error("current-context is not set")
                throw ExitCode(1)
            }
            Terminal.line(config.currentContext)
        }
    }

    struct UseContext: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "use-context", abstract: "Set the current-context in a kubeconfig file.")
        @OptionGroup var global: GlobalOptions
        @Argument var name: String

        func run() throws {
            guard try global.loadConfig().contexts[name] != nil else {
                Terminal.error("no context exists with the name: \"\(name)\"")
                throw ExitCode(1)
            }
            try ConfigCommand.edit(kubeconfig: global.kubeconfig) { $0["current-context"] = .string(name) }
            Terminal.line("Switched to context \"\(name)\".")
        }
    }

    struct GetContexts: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "get-contexts", abstract: "Describe one or many contexts.")
        @OptionGroup var global: GlobalOptions
        @Option(name: [.short, .customLong("output")]) var output: String?

        func run() throws {
            let config = try global.loadConfig()
            if output == "name" {
                Terminal.out(config.contexts.keys.sorted().map { $0 + "\n" }.joined())
                return
            }
            var t = TableWriter()
            t.add(["CURRENT", "NAME", "CLUSTER", "AUTHINFO", "NAMESPACE"])
            for name in config.contexts.keys.sorted() {
                let c = config.contexts[name] ?? .emptyObject
                t.add([name == config.currentContext ? "*" : "", name, c["cluster"]?.stringValue ?? "", c["user"]?.stringValue ?? "",
                       c["namespace"]?.stringValue ?? ""])
            }
            Terminal.out(t.render())
        }
    }

    struct SetContext: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set-context", abstract: "Set a context entry in kubeconfig.")
        // Not the global options: here --namespace, --cluster and --user set the context's fields.
        @Option var kubeconfig: String?
        @Argument var name: String?
        @Flag var current = false
        @Option(name: .customLong("namespace")) var contextNamespace: String?
        @Option(name: .customLong("cluster")) var contextCluster: String?
        @Option(name: .customLong("user")) var contextUser: String?

        func run() throws {
            let config = try Kubeconfig.load(explicit: kubeconfig)
            guard let target = current ? config.currentContext : name, !target.isEmpty else {
                Terminal.error("you must specify a non-empty context name or --current")
                throw ExitCode(1)
            }
            let exists = config.contexts[target] != nil
            try ConfigCommand.edit(kubeconfig: kubeconfig) { doc in
                var contexts = doc["contexts"]?.arrayValue ?? []
                var index = contexts.firstIndex { $0["name"]?.stringValue == target }
                if index == nil {
                    contexts.append(["name": .string(target), "context": .emptyObject])
                    index = contexts.count - 1
                }
                guard let i = index else { return }
                var ctx = contexts[i]["context"] ?? .emptyObject
                if let contextNamespace { ctx["namespace"] = .string(contextNamespace) }
                if let contextCluster { ctx["cluster"] = .string(contextCluster) }
                if let contextUser { ctx["user"] = .string(contextUser) }
                contexts[i]["context"] = ctx
                doc["contexts"] = .array(contexts)
            }
            Terminal.line("Context \"\(target)\" \(exists ? "modified" : "created").")
        }
    }
}
