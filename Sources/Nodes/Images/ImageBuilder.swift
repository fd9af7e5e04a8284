import Foundation
import KubeClient

/// What `kplane image build` is asked for.
public struct ImageBuildOptions: Sendable {
    public var tags: [String]
    /// The Dockerfile's path; nil: `<context>/Dockerfile`.
    public var dockerfile: String?
    public var buildArgs: [String: String]
    /// The stage to build (`--target`); nil: the last.
    public var target: String?
    /// Where the build's progress goes, a line at a time.
    public var log: @Sendable (String) -> Void
    /// Where the image's creation time comes from.
    public var clock: any WallClock

    public init(tags: [String], dockerfile: String? = nil, buildArgs: [String: String] = [:], target: String? = nil,
                clock: any WallClock = SystemClock(), log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.tags = tags; self.dockerfile = dockerfile; self.buildArgs = buildArgs; self.target = target; self.log = log
        self.clock = clock
    }
}

/// A built image: its digest and the absolute paths its files occupy.
public struct ImageBuildResult: Sendable {
    /// 64 hex digits.
    public let digest: String
    public let paths: [String]
    public let references: [String]
}

/// `docker build` without a container engine: each stage is a directory of the image's own
/// files (`rootfs/app/server.js` for `COPY . /app`) on top of a host runtime (`FROM node:*`),
/// nothing (`scratch`), an earlier stage or a stored image. Instructions that need a real
/// container engine fail with the line that asked for them.
public struct ImageBuilder {
    let store: ImageStore
    let context: String
    let options: ImageBuildOptions
    let fileName: String
    var stages: [Stage] = []
    var globalArgs: [String: String] = [:]
    var usedArgs: Set<String> = []

    /// One build stage: its files, config and the paths it claims.
    struct Stage {
        var name: String?
        let dir: String
        var config: ImageConfig
        var claimed: [String]
        var args: [String: String] = [:]
        /// "host", "scratch".
        var base: String
        var cmdSetHere = false
        var rootfs: String { dir + "/rootfs" }
    }

    public static func build(store: ImageStore, context: String, options: ImageBuildOptions) throws -> ImageBuildResult {
        var refs: [ImageReference] = []
        for tag in options.tags {
            do { refs.append(try ImageReference.parse(tag)) } catch {
                throw ImageBuildError("invalid tag \(ImageReference.goQuote(tag)): \(error.message)")
            }
        }
        guard !refs.isEmpty else { throw ImageBuildError("a tag is required (-t NAME:TAG)") }
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: context, isDirectory: &isDir), isDir.boolValue else {
            throw ImageBuildError("unable to prepare context: path \(ImageReference.goQuote(context)) not found")
        }
        let path = options.dockerfile.map { $0.hasPrefix("/") ? $0 : FileManager.default.currentDirectoryPath + "/" + $0 } ?? context + "/Dockerfile"
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ImageBuildError("failed to read dockerfile: open \(path): no such file or directory")
        }
        var builder = ImageBuilder(store: store, context: URL(fileURLWithPath: context).standardizedFileURL.path,
                                   options: options, fileName: (path as NSString).lastPathComponent)
        defer { for s in builder.stages { try? FileManager.default.removeItem(atPath: s.dir) } }
        let final = try builder.run(Dockerfile(text))
        let record = ImageRecord(config: final.config, paths: ImageRecord.outermost(final.claimed), created: options.clock.now(), size: 0, base: final.base)
        let digest = try store.commit(buildDir: final.dir, record: record)
        for ref in refs { try store.tag(ref, digest: digest) }
        let occupied = record.paths.isEmpty ? "no paths" : record.paths.joined(separator: ", ")
        if getuid() == 0 {
            options.log("The image's files occupy \(occupied) (shown there over the host's files when it runs)")
        } else if !record.paths.isEmpty {
            // Without root a container gets no mount namespace: these paths cannot be its own.
            options.log("[Warning] This machine cannot show a container its image's paths (kplane runs without root): \(occupied) "
                        + "resolve inside the image's directory for the working directory and the command only")
        }
        options.log("Successfully built \(digest.prefix(12))")
        for ref in refs { options.log("Successfully tagged \(ref.normalized)") }
        return ImageBuildResult(digest: digest, paths: record.paths, references: refs.map(\.normalized))
    }

    private mutating func run(_ file: Dockerfile) throws -> Stage {
        let all = file.instructions
        guard all.contains(where: { $0.keyword == "FROM" }) else { throw ImageBuildError("no build stage in current context") }
        for (i, ins) in all.enumerated() {
            options.log("Step \(i + 1)/\(all.count) : \(ins.keyword) \(ins.arguments)")
            do {
                try dispatch(ins)
            } catch {
                let message = (error as? ImageBuildError)?.description ?? error.localizedDescription
                throw ImageBuildError("\(fileName):\(ins.line): \(message)")
            }
            if let target = options.target, ins.keyword == "FROM", stages.count >= 2, stages[stages.count - 2].name == target.lowercased() {
                break  // the target stage is complete: later stages are not needed
            }
        }
        let unused = Set(options.buildArgs.keys).subtracting(usedArgs)
        if !unused.isEmpty { options.log("[Warning] One or more build-args [\(unused.sorted().joined(separator: " "))] were not consumed") }
        if let target = options.target {
            guard let i = stages.firstIndex(where: { $0.name == target.lowercased() }) else {
                throw ImageBuildError("target stage \(ImageReference.goQuote(target)) could not be found")
            }
            return stages.remove(at: i)
        }
        return stages.removeLast()
    }

    private mutating func dispatch(_ ins: Dockerfile.Instruction) throws {
        if ins.keyword == "ARG", stages.isEmpty {
            var args = globalArgs
            declareArgs(ins.arguments, into: &args)
            globalArgs = args
            return
        }
        if ins.keyword == "FROM" { return try from(ins.arguments) }
        guard var stage = stages.popLast() else { throw ImageBuildError("no build stage in current context") }
        defer { stages.append(stage) }
        let words = ShellWords(env: environment(stage))
        switch ins.keyword {
        case "WORKDIR":
            let dir = words.word(ins.arguments)
            stage.config.workingDir = ImageRecord.normalizePath(dir.hasPrefix("/") ? dir : (stage.config.workingDir.isEmpty ? "/" : stage.config.workingDir) + "/" + dir)
            try FileManager.default.createDirectory(atPath: stage.rootfs + stage.config.workingDir, withIntermediateDirectories: true)
            if !Self.hostHasDirectory(stage.config.workingDir) || stage.base == "scratch" { stage.claimed.append(Self.claim(stage.config.workingDir)) }
        case "COPY", "ADD":
            try copy(ins.arguments, add: ins.keyword == "ADD", stage: &stage, words: words)
        case "ENV":
            for (k, v) in try keyValues(ins.arguments, words: words, keyword: "ENV") { stage.config.setEnv(k, v) }
        case "LABEL":
            for (k, v) in try keyValues(ins.arguments, words: words, keyword: "LABEL") { stage.config.labels[k] = v }
        case "ARG":
            declareArgs(ins.arguments, into: &stage.args)
        case "EXPOSE":
            for w in words.words(ins.arguments) {
                let parts = w.split(separator: "/", maxSplits: 1)
                guard let port = parts.first.flatMap({ Int($0) }), (1...65535).contains(port) else { throw ImageBuildError("invalid containerPort: \(w)") }
                let proto = parts.count > 1 ? parts[1].lowercased() : "tcp"
                guard ["tcp", "udp", "sctp"].contains(proto) else { throw ImageBuildError("invalid proto: \(proto)") }
                if !stage.config.exposedPorts.contains("\(port)/\(proto)") { stage.config.exposedPorts.append("\(port)/\(proto)") }
            }
        case "USER":
            stage.config.user = words.word(ins.arguments)
            guard !stage.config.user.isEmpty else { throw ImageBuildError("USER requires exactly one argument") }
        case "CMD":
            stage.config.cmd = Self.command(ins.arguments)
            stage.cmdSetHere = true
        case "ENTRYPOINT":
            stage.config.entrypoint = Self.command(ins.arguments)
            if !stage.cmdSetHere { stage.config.cmd = [] }  // Docker: ENTRYPOINT resets a CMD inherited from the base
        case "RUN":
            try run(ins.arguments, stage: &stage)
        case "HEALTHCHECK", "ONBUILD", "SHELL", "VOLUME", "STOPSIGNAL", "MAINTAINER":
            throw ImageBuildError("\(ins.keyword) is not supported by kplane image build")
        default:
            throw ImageBuildError("unknown instruction: \(ins.keyword)")
        }
    }

    /// `FROM [--platform=...] image [AS name]`.
    private mutating func from(_ arguments: String) throws {
        let words = ShellWords(env: globalArgs).words(Dockerfile.flags(arguments).rest)
        guard words.count == 1 || (words.count == 3 && words[1].lowercased() == "as"), let image = words.first else {
            throw ImageBuildError("FROM requires either one or three arguments")
        }
        let name = words.count == 3 ? words[2].lowercased() : nil
        let dir = try store.makeBuildDir()
        var stage = Stage(name: name, dir: dir, config: ImageConfig(env: [ImageConfig.defaultPath]), claimed: [], base: "scratch")
        stages.append(stage)  // so that a failure below still removes its directory
        if let earlier = stages.dropLast().last(where: { $0.name == image.lowercased() }) {
            try Self.copyTree(earlier.rootfs, to: stage.rootfs)
            (stage.config, stage.claimed, stage.base) = (earlier.config, earlier.claimed, earlier.base)
        } else if image != "scratch" {
            let base: ContainerImage
            do { base = try store.resolve(image) } catch { throw ImageBuildError("FROM \(image): \(error.message)") }
            if let rootfs = base.rootfs { try Self.copyTree(rootfs, to: stage.rootfs) }
            let baseRecord = store.entry(image).flatMap { store.load($0.digest) }
            (stage.config, stage.claimed, stage.base) = (base.config, base.paths, baseRecord?.base ?? "host")
            // A host runtime lacks the official image's own accounts: record them in the image.
            if base.rootfs == nil, case let commands = HostImages.accounts(for: image), !commands.isEmpty {
                var accounts = try UserAccounts(rootfs: stage.rootfs, fromHost: true)
                for argv in commands { try? accounts.apply(argv) }  // the host may have them already
                try accounts.save()
                stage.claimed += ["/etc/passwd", "/etc/group"]
            }
        }
        stages[stages.count - 1] = stage
    }

    /// `ARG NAME[=default] ...`: a build argument's value, or its default, or the global one.
    private mutating func declareArgs(_ arguments: String, into args: inout [String: String]) {
        for w in ShellWords(env: globalArgs).words(arguments) {
            let kv = w.split(separator: "=", maxSplits: 1)
            let name = String(kv.first ?? "")
            if options.buildArgs[name] != nil { usedArgs.insert(name) }
            args[name] = options.buildArgs[name] ?? (kv.count > 1 ? String(kv[1]) : globalArgs[name]) ?? ""
        }
    }

    /// `ENV K=V K2="v 2"` or the legacy `ENV K some value`.
    private func keyValues(_ arguments: String, words: ShellWords, keyword: String) throws -> [(String, String)] {
        let list = words.words(arguments)
        guard let first = list.first else { throw ImageBuildError("\(keyword) requires at least one argument") }
        if !first.contains("=") {
            let key = arguments.prefix { $0 != " " && $0 != "\t" }
            let rest = arguments.dropFirst(key.count).drop { $0 == " " || $0 == "\t" }
            guard !rest.isEmpty else { throw ImageBuildError("\(keyword) must have two arguments") }
            return [(String(key), words.word(String(rest)))]
        }
        return try list.map { w in
            let kv = w.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard kv.count == 2, !kv[0].isEmpty else { throw ImageBuildError("\(keyword) names can not be blank") }
            return (String(kv[0]), String(kv[1]))
        }
    }

    /// What the stage's variables are while expanding: its ARGs, then its ENV over them.
    func environment(_ stage: Stage) -> [String: String] {
        var env = stage.args
        for e in stage.config.env {
            let kv = e.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            env[String(kv[0])] = kv.count > 1 ? String(kv[1]) : ""
        }
        return env
    }

    /// The exec form as it is, the shell form as `/bin/sh -c`.
    static func command(_ arguments: String) -> [String] {
        Dockerfile.execForm(arguments) ?? ["/bin/sh", "-c", arguments]
    }

    /// The outermost directory of `path` the host does not have (so the runtime can show the
    /// image's own directory there), or `path` itself when the host has all of its parents.
    static func claim(_ path: String) -> String {
        var prefix = ""
        for c in path.split(separator: "/") {
            prefix += "/" + c
            if !FileManager.default.fileExists(atPath: prefix) { return prefix }
        }
        return path
    }

    static func hostHasDirectory(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
    }
}
