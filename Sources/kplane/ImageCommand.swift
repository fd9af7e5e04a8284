import APIServer
import ArgumentParser
import Foundation
import KubeModel
import Nodes

/// `kplane image build|ls|rm|inspect`: the node-local image store under `<data-dir>/images`,
/// as `docker build`, `docker images`, `docker rmi` and `docker image inspect` show theirs.
struct ImageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "image", abstract: "Build and manage the images process-backed nodes run.",
        subcommands: [Build.self, List.self, Remove.self, Inspect.self])

    struct Store: ParsableArguments {
        @Option(name: .customLong("data-dir"), help: "Where the database, kubeconfig and images live.") var dataDir = APIServerConfig.defaultDataDir
        func open() throws -> ImageStore { try ImageStore(root: dataDir + "/images") }
    }

    struct Build: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "build", abstract: "Build an image from a Dockerfile.")
        @Option(name: [.customShort("t"), .customLong("tag")], help: "Name and tag (NAME:TAG); repeat for more.") var tags: [String] = []
        @Option(name: [.customShort("f"), .customLong("file")], help: "The Dockerfile (default: DIR/Dockerfile).") var file: String?
        @Option(name: .customLong("build-arg"), help: "A build argument (KEY=VALUE); repeat for more.") var buildArgs: [String] = []
        @Option(help: "The stage to build.") var target: String?
        @Argument(help: "The build context.") var context: String
        @OptionGroup var store: Store

        func run() throws {
            var args: [String: String] = [:]
            for a in buildArgs {
                let kv = a.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                // Docker: `--build-arg KEY` takes KEY's value from the environment.
                args[String(kv[0])] = kv.count > 1 ? String(kv[1]) : ProcessInfo.processInfo.environment[String(kv[0])] ?? ""
            }
            let options = ImageBuildOptions(tags: tags, dockerfile: file, buildArgs: args, target: target) { print($0) }
            do {
                _ = try ImageBuilder.build(store: try store.open(), context: context, options: options)
            } catch let e as ImageBuildError {
                ImageCommand.fail(e.description)
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "List images.", aliases: ["images", "list"])
        @Flag(name: [.customShort("q"), .customLong("quiet")], help: "Only image IDs.") var quiet = false
        @Flag(name: .customLong("no-trunc"), help: "Full image IDs.") var noTrunc = false
        @OptionGroup var store: Store

        func run() throws {
            let entries = try store.open().list()
            let id = { (e: ImageStore.Entry) in noTrunc ? "sha256:" + e.digest : String(e.digest.prefix(12)) }
            if quiet {
                var seen = Set<String>()
                for e in entries where seen.insert(e.digest).inserted { print(id(e)) }
                return
            }
            let rows = [["REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"]] + entries.map { e in
                [ImageCommand.familiar(e.reference.repository), e.reference.tag ?? "<none>", id(e),
                 ImageCommand.humanDuration(Date().timeIntervalSince(e.created)) + " ago", ImageCommand.humanSize(e.size)]
            }
            print(ImageCommand.table(rows), terminator: "")
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rm", abstract: "Remove images.", aliases: ["rmi"])
        @Argument(help: "Images (NAME:TAG or ID).") var images: [String]
        @OptionGroup var store: Store

        func run() throws {
            let s = try store.open()
            var failed = false
            for image in images {
                do {
                    let (untagged, deleted) = try s.remove(image)
                    print("Untagged: \(ImageCommand.familiar(untagged))")
                    if let deleted { print("Deleted: sha256:\(deleted)") }
                } catch {
                    FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
                    failed = true
                }
            }
            if failed { throw ExitCode.failure }
        }
    }

    struct Inspect: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "inspect", abstract: "Show images' configs as JSON.")
        @Argument(help: "Images (NAME:TAG or ID).") var images: [String]
        @OptionGroup var store: Store

        func run() throws {
            let s = try store.open()
            let all = s.list()
            var out: [JSONValue] = []
            var missing: [String] = []
            for image in images {
                guard let e = s.entry(image) else { missing.append(image); continue }
                out.append(ImageCommand.inspect(e, tags: all.filter { $0.digest == e.digest }))
            }
            print(JSONSerializer.pretty(.array(out)))
            for m in missing { FileHandle.standardError.write(Data("Error: No such image: \(m)\n".utf8)) }
            if !missing.isEmpty { throw ExitCode.failure }
        }
    }

    /// `docker image inspect`'s fields for one image, with where its files are.
    static func inspect(_ e: ImageStore.Entry, tags: [ImageStore.Entry]) -> JSONValue {
        let c = e.config
        let strings = { (list: [String]) -> JSONValue in list.isEmpty ? .null : .array(list.map { .string($0) }) }
        let config: JSONValue = .object([
            "User": .string(c.user), "Env": strings(c.env), "WorkingDir": .string(c.workingDir),
            "Cmd": strings(c.cmd), "Entrypoint": strings(c.entrypoint),
            "ExposedPorts": c.exposedPorts.isEmpty ? .null : .object(Dictionary(uniqueKeysWithValues: c.exposedPorts.map { ($0, JSONValue.emptyObject) })),
            "Labels": c.labels.isEmpty ? .null : .object(c.labels.mapValues { .string($0) }),
        ])
        return .object([
            "Id": .string("sha256:" + e.digest),
            "RepoTags": strings(tags.map { familiar($0.reference.repository) + ":" + ($0.reference.tag ?? "latest") }),
            "RepoDigests": strings(tags.map { $0.reference.repository + "@sha256:" + e.digest }),
            "Created": .string(ISO8601DateFormatter().string(from: e.created)),
            "Size": .int(Int64(e.size)),
            "Architecture": .string(hostArchitecture), "Os": "linux",
            "Config": config,
            "GraphDriver": ["Name": "kplane", "Data": ["RootDir": .string(e.rootfs), "Paths": strings(e.paths)]],
        ])
    }

    static var hostArchitecture: String {
        #if arch(arm64)
        "arm64"
        #else
        "amd64"
        #endif
    }

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("ERROR: \(message)\n".utf8))
        Foundation.exit(1)
    }

    /// "docker.io/library/myapp" is "myapp", "docker.io/me/app" is "me/app", as Docker shows them.
    static func familiar(_ repository: String) -> String {
        if repository.hasPrefix("docker.io/library/") { return String(repository.dropFirst("docker.io/library/".count)) }
        if repository.hasPrefix("docker.io/") { return String(repository.dropFirst("docker.io/".count)) }
        return repository
    }

    /// Columns as Docker's tabwriter sets them (minimum width 10, padding 3).
    static func table(_ rows: [[String]]) -> String {
        guard let columns = rows.first?.count else { return "" }
        let widths = (0..<columns).map { i in max(10, (rows.map { $0[i].count }.max() ?? 0) + 3) }
        return rows.map { row in
            row.enumerated().map { i, cell in i == columns - 1 ? cell : cell.padding(toLength: widths[i], withPad: " ", startingAt: 0) }.joined()
        }.joined(separator: "\n") + "\n"
    }

    /// go-units' HumanSizeWithPrecision(size, 3): decimal units, three significant digits.
    static func humanSize(_ bytes: Int) -> String {
        var size = Double(bytes)
        let units = ["B", "kB", "MB", "GB", "TB", "PB"]
        var i = 0
        while size >= 1000, i < units.count - 1 { size /= 1000; i += 1 }
        var text = String(format: "%.3g", size)
        if text.contains("e") { text = String(format: "%.0f", size) }
        return text + units[i]
    }

    /// go-units' HumanDuration, which `docker images` shows as "CREATED ... ago".
    static func humanDuration(_ d: TimeInterval) -> String {
        let seconds = Int(d)
        if seconds < 1 { return "Less than a second" }
        if seconds == 1 { return "1 second" }
        if seconds < 60 { return "\(seconds) seconds" }
        let minutes = Int(d / 60)
        if minutes == 1 { return "About a minute" }
        if minutes < 60 { return "\(minutes) minutes" }
        let hours = Int(d / 3600 + 0.5)
        if hours == 1 { return "About an hour" }
        if hours < 48 { return "\(hours) hours" }
        if hours < 24 * 7 * 2 { return "\(hours / 24) days" }
        if hours < 24 * 30 * 2 { return "\(hours / 24 / 7) weeks" }
        if hours < 24 * 365 * 2 { return "\(hours / 24 / 30) months" }
        return "\(Int(d / 3600) / 24 / 365) years"
    }
}
