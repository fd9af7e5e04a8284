import ArgumentParser
import Foundation
import KubeClient
import KubeModel

struct Create: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "create", 
        abstract: "Create a resource from a file or from stdin.",
        subcommands: [CreateNamespace.self, CreateConfigMap.self, CreateSecret.self, CreateDeployment.self, CreateService.self])

    @OptionGroup var global: GlobalOptions
    @Option(name: [.short, .customLong("filename")], help: "Files, directories or - (stdin).") var filenames: [String] = []
    @Flag(name: [.customShort("R"), .customLong("recursive")]) var recursive = false
    @Option(name: .customLong("dry-run")) var dryRun = "none"
    @Flag(name: .customLong("save-config"), help: "Record the configuration for later kctl apply.") var saveConfig = false

    func run() async throws {
        try await Kctl.guarded {
            guard !filenames.isEmpty else { throw KctlError("must specify one of -f and -k") }
            let (objects, failures) = try Manifests.load(filenames, recursive: recursive)
            let session = try global.session()
            try await Manifests.each(objects, failures: failures) { m in
                var obj = m.object
                let r = try await session.resource(apiVersion: obj["apiVersion"]?.stringValue ?? "", kind: obj["kind"]?.stringValue ?? "")
                let ns = try Namespacing.namespace(of: &obj, r, session)
                if saveConfig { obj = Apply.withLastApplied(obj) }
                try await CreateSupport.post(obj, r, ns, session, dryRun: dryRun, source: m.source)
            }
        }
    }
}

enum CreateSupport {
    static func post(_ obj: JSONValue, _ r: APIResource, _ ns: String?, _ session: Session, dryRun: String, source: String?) async throws {
        var query: [(String, String)] = [("fieldManager", "kubectl-create"), ("fieldValidation", "Strict")]
        if dryRun == "server" { query.append(("dryRun", "All")) }
        if dryRun != "client" {
            do {
                _ = try await session.client.call("POST", r.path(namespace: ns), query: query, body: obj)
            } catch let e as APIStatusError {
                let message = source.map { "error when creating \"\($0)\": \(e.message)" } ?? e.message
                throw APIStatusError(code: e.code, reason: e.reason, message: message, status: e.code == 422 ? e.status : nil)
            }
        }
        let suffix = dryRun == "client" ? " (dry run)" : dryRun == "server" ? " (server dry run)" : ""
        Terminal.line("\(r.typePrefix)/\(obj.metadata.name) created\(suffix)")
    }

    static func create(_ global: GlobalOptions, kind: String, _ obj: JSONValue, dryRun: String) async throws {
        try await Kctl.guarded {
            let session = try global.session()
            var obj = obj
            let r = try await session.resource(kind)
            let ns = try Namespacing.namespace(of: &obj, r, session)
            do {
                try await post(obj, r, ns, session, dryRun: dryRun, source: nil)
            } catch let e as APIStatusError where e.code != 422 {
                throw KctlError("failed to create \(r.singular): \(e.message)")
            }
        }
    }

    /// `--from-literal=k=v`, `--from-file=[key=]path`, `--from-env-file=path` into a data map.
    static func data(literals: [String], files: [String], envFiles: [String]) throws -> [String: String] {
        var data: [String: String] = [:]
        for l in literals {
            let parts = l.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty else { throw KctlError("invalid literal source \(l), expected key=value") }
            data[parts[0]] = parts[1]
        }
        for f in files {
            let parts = f.split(separator: "=", maxSplits: 1).map(String.init)
            let path = parts.count == 2 ? parts[1] : parts[0]
            let key = parts.count == 2 ? parts[0] : (path as NSString).lastPathComponent
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw KctlError("error reading \(path): no such file or directory") }
            data[key] = text
        }
        for f in envFiles {
            guard let text = try? String(contentsOfFile: f, encoding: .utf8) else { throw KctlError("error reading \(f): no such file or directory") }
            for line in text.split(separator: "\n") {
                let l = line.trimmingCharacters(in: .whitespaces)
                if l.isEmpty || l.hasPrefix("#") { continue }
                let parts = l.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
                data[parts[0]] = parts.count > 1 ? parts[1] : ""
            }
        }
        return data
    }
}

struct CreateNamespace: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "namespace", abstract: "Create a namespace.", aliases: ["ns"])
    @OptionGroup var global: GlobalOptions
    @Argument var name: String
    @Option(name: .customLong("dry-run")) var dryRun = "none"

    func run() async throws {
        try await CreateSupport.create(global, kind: "namespaces", ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(name)]], dryRun: dryRun)
    }
}

struct CreateConfigMap: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "configmap", abstract: "Create a config map.", aliases: ["cm"])
    @OptionGroup var global: GlobalOptions
    @Argument var name: String
    @Option(name: .customLong("from-literal")) var literals: [String] = []
    @Option(name: .customLong("from-file")) var files: [String] = []
    @Option(name: .customLong("from-env-file")) var envFiles: [String] = []
    @Option(name: .customLong("dry-run")) var dryRun = "none"

    func run() async throws {
        let data = try CreateSupport.data(literals: literals, files: files, envFiles: envFiles)
        try await CreateSupport.create(global, kind: "configmaps", [
            "apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string(name)], "data": .object(data.mapValues { .string($0) }),
        ], dryRun: dryRun)
    }
}

struct CreateSecret: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "secret", abstract: "Create a secret.", subcommands: [Generic.self])

    struct Generic: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "generic", abstract: "Create a secret from a local file, directory, or literal value.")
        @OptionGroup var global: GlobalOptions
        @Argument var name: String
        @Option(name: .customLong("from-literal")) var literals: [String] = []
        @Option(name: .customLong("from-file")) var files: [String] = []
        @Option(name: .customLong("from-env-file")) var envFiles: [String] = []
        @Option var type: String?
        @Option(name: .customLong("dry-run")) var dryRun = "none"

        func run() async throws {
            let data = try CreateSupport.data(literals: literals, files: files, envFiles: envFiles)
            var obj: JSONValue = [
                "apiVersion": "v1", "kind": "Secret", "metadata": ["name": .string(name)],
                "data": .object(data.mapValues { .string(Base64.encode(Array($0.utf8))) }),
            ]
            if let type { obj["type"] = .string(type) }
            try await CreateSupport.create(global, kind: "secrets", obj, dryRun: dryRun)
        }
    }
}

struct CreateDeployment: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "deployment", abstract: "Create a deployment with the specified name.", aliases: ["deploy"])
    @OptionGroup var global: GlobalOptions
    @Argument var name: String
    @Option var image: [String] = []
    @Option var replicas: Int = 1
    @Option var port: Int?
    @Option(name: .customLong("dry-run")) var dryRun = "none"

    func run() async throws {
        guard !image.isEmpty else { throw ValidationError("required flag(s) \"image\" not set") }
        let containers: [JSONValue] = image.map { img in
            let base = img.split(separator: "/").last.map(String.init) ?? img
            let cname = String(base.split(separator: ":").first ?? Substring(base)).split(separator: "@").first.map(String.init) ?? base
            var c: JSONValue = ["name": .string(cname), "image": .string(img), "resources": .emptyObject]
            if let port { c["ports"] = [["containerPort": .int(Int64(port))]] }
            return c
        }
        let labels: JSONValue = ["app": .string(name)]
        try await CreateSupport.create(global, kind: "deployments", [
            "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": .string(name), "labels": labels],
            "spec": ["replicas": .int(Int64(replicas)), "selector": ["matchLabels": labels], "strategy": .emptyObject,
                     "template": ["metadata": ["labels": labels], "spec": ["containers": .array(containers)]]],
        ], dryRun: dryRun)
    }
}

struct CreateService: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "service", abstract: "Create a service.", subcommands: [ClusterIP.self], aliases: ["svc"])

    struct ClusterIP: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "clusterip", abstract: "Create a ClusterIP service.")
        @OptionGroup var global: GlobalOptions
        @Argument var name: String
        @Option var tcp: [String] = []
        @Option(name: .customLong("clusterip")) var clusterIP: String?
        @Option(name: .customLong("dry-run")) var dryRun = "none"

        func run() async throws {
            let ports: [JSONValue] = try tcp.map { spec in
                let parts = spec.split(separator: ":").map(String.init)
                guard let port = Int64(parts[0]) else { throw ValidationError("invalid --tcp \(spec): expected port[:targetPort]") }
                let target: JSONValue = parts.count > 1 ? (Int64(parts[1]).map { .int($0) } ?? .string(parts[1])) : .int(port)
                return ["name": .string("\(port)-\(parts.count > 1 ? parts[1] : parts[0])"), "port": .int(port), "protocol": "TCP", "targetPort": target]
            }
            var spec: JSONValue = ["type": "ClusterIP", "selector": ["app": .string(name)], "ports": .array(ports)]
            if let clusterIP { spec["clusterIP"] = .string(clusterIP) }
            try await CreateSupport.create(global, kind: "services", [
                "apiVersion": "v1", "kind": "Service", "metadata": ["name": .string(name), "labels": ["app": .string(name)]], "spec": spec,
            ], dryRun: dryRun)
        }
    }
}
