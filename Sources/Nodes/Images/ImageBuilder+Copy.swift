import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension ImageBuilder {
    /// `COPY [--from=stage|image] [--chmod=755] [--chown=user:group] [--link] src... dest` and
    /// `ADD` of local files (archives unpacked, as Docker's ADD does). Sources come from the
    /// build context (less what `.dockerignore` excludes) or another stage's files; globs match
    /// as Go's filepath.Match. A flag that would change the result and is not honoured is an error.
    mutating func copy(_ arguments: String, add: Bool, stage: inout Stage, words: ShellWords) throws {
        let keyword = add ? "ADD" : "COPY"
        let (flags, rest) = Dockerfile.flags(arguments)
        // `--link` only changes how BuildKit caches the layer, not the files.
        for flag in flags.keys.sorted() where !["from", "chmod", "chown", "link"].contains(flag) {
            throw ImageBuildError("\(keyword) --\(flag) is not supported by kplane image build")
        }
        // Names are looked up in the image's own passwd and group files, as BuildKit does.
        let owner = try flags["chown"].map { try ContainerImage.resolveUser($0, rootfs: stage.rootfs) }
        var list = Dockerfile.execForm(rest).map { $0.map(words.word) } ?? words.words(rest)
        guard list.count >= 2, let destArg = list.popLast() else { throw ImageBuildError("\(keyword) requires at least two arguments") }
        if add, let url = list.first(where: { $0.contains("://") || $0.hasPrefix("git@") }) {
            throw ImageBuildError("ADD from a URL (\(url)) is not supported by kplane image build: download it into the build context and COPY it")
        }
        let source = try copySource(flags["from"], stage: stage)
        var matches: [(root: String, rel: String)] = []
        for pattern in list {
            // Relative to the source's root; `..` cannot climb out of it (BuildKit's clamping).
            let clean = String(ImageRecord.normalizePath(pattern).dropFirst())
            var found = Self.glob(clean, in: source.root).filter { !(source.ignore?.excludes($0) ?? false) }.map { (source.root, $0) }
            if found.isEmpty, let fallback = source.fallback { found = Self.glob(clean, in: fallback).map { (fallback, $0) } }
            guard !found.isEmpty, !(found.count == 1 && found[0].0.isEmpty && found[0].1.isEmpty) else {
                throw ImageBuildError("\(keyword) failed: file not found in build context or excluded by .dockerignore: stat \(pattern): file does not exist")
            }
            matches += found
        }
        let workdir = stage.config.workingDir.isEmpty ? "/" : stage.config.workingDir
        let dest = ImageRecord.normalizePath(destArg.hasPrefix("/") ? destArg : workdir + "/" + destArg)
        let destIsDir = destArg.hasSuffix("/") || destArg == "." || Self.isDirectory(stage.rootfs + dest)
        if matches.count > 1 && !destIsDir {
            throw ImageBuildError("When using \(keyword) with more than one source file, the destination must be a directory and end with a /")
        }
        let mode = try flags["chmod"].map { m throws -> Int in
            guard let v = Int(m, radix: 8) else { throw ImageBuildError("invalid chmod parameter: \(m)") }
            return v
        }
        for (root, rel) in matches {
            let from = rel.isEmpty ? root : root + "/" + rel
            if Self.isDirectory(from) {
                // A directory's contents go into dest.
                try FileManager.default.createDirectory(atPath: stage.rootfs + dest, withIntermediateDirectories: true)
                let entries = try FileManager.default.contentsOfDirectory(atPath: from).filter { e in
                    !(source.ignore?.excludes(rel.isEmpty ? e : rel + "/" + e) ?? false)
                }
                try Self.copyTree(from, to: stage.rootfs + dest, ignore: source.ignore, relative: rel, mode: mode, owner: owner)
                if Self.hostHasDirectory(dest) && stage.base != "scratch" {
                    stage.claimed += entries.map { Self.claim(dest + "/" + $0) }
                } else {
                    stage.claimed.append(Self.claim(dest))
                }
            } else {
                let target = destIsDir ? dest + "/" + (rel as NSString).lastPathComponent : dest
                try FileManager.default.createDirectory(atPath: stage.rootfs + (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                if add, Self.isArchive(from) {
                    try Self.unpack(from, into: stage.rootfs + dest)
                    stage.claimed.append(Self.claim(dest))
                    continue
                }
                try Self.copyTree(from, to: stage.rootfs + target, ignore: nil, relative: rel, mode: mode, owner: owner)
                stage.claimed.append(Self.claim(target))
            }
        }
    }

    struct CopySource {
        let root: String
        let ignore: DockerIgnore?
        /// Where a path the source lacks is read instead: "" (the host's root) for a stage on
        /// a host runtime, whose files are its own over the host's.
        var fallback: String? = nil
    }

    /// The build context, an earlier stage (by name or index), or an image's files (a host
    /// image's are the host's own).
    private func copySource(_ from: String?, stage: Stage) throws -> CopySource {
        guard let from else { return CopySource(root: context, ignore: DockerIgnore(context: context)) }
        // `stages` holds the earlier stages only: the current one is out while it is worked on.
        let named = stages.first { $0.name == from.lowercased() } ?? Int(from).flatMap { $0 >= 0 && $0 < stages.count ? stages[$0] : nil }
        if let named { return CopySource(root: named.rootfs, ignore: nil, fallback: named.base == "host" ? "" : nil) }
        let image: ContainerImage
        do { image = try store.resolve(from) } catch { throw ImageBuildError("COPY --from=\(from): \(error.message)") }
        return CopySource(root: image.rootfs ?? "", ignore: nil, fallback: image.rootfs == nil ? nil : "")
    }

    /// Paths under `root` matching `pattern` segment by segment (`*`, `?`, `[...]`), relative.
    static func glob(_ pattern: String, in root: String) -> [String] {
        var bases = [""]
        for segment in pattern.split(separator: "/").map(String.init) {
            var next: [String] = []
            for base in bases {
                let dir = base.isEmpty ? root : root + "/" + base
                if segment.contains(where: { "*?[".contains($0) }) {
                    let entries = ((try? FileManager.default.contentsOfDirectory(atPath: dir.isEmpty ? "/" : dir)) ?? []).sorted()
                    next += entries.filter { fnmatch(segment, $0, 0) == 0 }.map { base.isEmpty ? $0 : base + "/" + $0 }
                } else if FileManager.default.fileExists(atPath: dir + "/" + segment) || (try? FileManager.default.destinationOfSymbolicLink(atPath: dir + "/" + segment)) != nil {
                    next.append(base.isEmpty ? segment : base + "/" + segment)
                }
            }
            bases = next
        }
        return bases
    }

    /// Copies a file, symlink or directory (merging into an existing one), keeping modes.
    static func copyTree(_ from: String, to: String, ignore: DockerIgnore? = nil, relative: String = "", mode: Int? = nil,
                         owner: (uid: UInt32, gid: UInt32)? = nil) throws {
        defer { if let owner, getuid() == 0 { lchown(to, owner.uid, owner.gid) } }
        let fm = FileManager.default
        var st = stat()
        guard lstat(from, &st) == 0 else { throw ImageBuildError("stat \(from): \(String(cString: strerror(errno)))") }
        let type = UInt32(st.st_mode) & UInt32(S_IFMT)
        if type == UInt32(S_IFDIR) {
            if !isDirectory(to) {
                try? fm.removeItem(atPath: to)
                try fm.createDirectory(atPath: to, withIntermediateDirectories: true)
            }
            chmod(to, mode_t(mode ?? Int(st.st_mode & 0o7777)))
            for e in try fm.contentsOfDirectory(atPath: from) {
                let rel = relative.isEmpty ? e : relative + "/" + e
                if ignore?.excludes(rel) ?? false { continue }
                try copyTree(from + "/" + e, to: to + "/" + e, ignore: ignore, relative: rel, mode: mode, owner: owner)
            }
            return
        }
        if fm.fileExists(atPath: to) || (try? fm.destinationOfSymbolicLink(atPath: to)) != nil { try fm.removeItem(atPath: to) }
        if type == UInt32(S_IFLNK) {
            try fm.createSymbolicLink(atPath: to, withDestinationPath: fm.destinationOfSymbolicLink(atPath: from))
        } else {
            try fm.copyItem(atPath: from, toPath: to)
            chmod(to, mode_t(mode ?? Int(st.st_mode & 0o7777)))
        }
    }

    static func isDirectory(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
    }

    static func isArchive(_ path: String) -> Bool {
        [".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz"].contains { path.hasSuffix($0) }
    }

    /// ADD's unpacking of a local archive: `tar` writes only below `dir` (it strips leading `/`
    /// and refuses `..` members).
    static func unpack(_ archive: String, into dir: String) throws {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["tar", "-xf", archive, "-C", dir]
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw ImageBuildError("ADD failed: tar -xf \(archive) exited with \(p.terminationStatus)") }
    }
}

/// `.dockerignore` in the build context: patterns as Go's filepath.Match, a pattern matching a
/// directory excluding what is in it, `!` taking an exclusion back, the last match winning.
struct DockerIgnore {
    let rules: [(pattern: String, exclude: Bool)]

    init?(context: String) {
        guard let text = try? String(contentsOfFile: context + "/.dockerignore", encoding: .utf8) else { return nil }
        rules = text.split(separator: "\n").compactMap { line in
            let t = line.trimmingCharacters(in: .whitespaces)
            guard !t.isEmpty, !t.hasPrefix("#") else { return nil }
            let negate = t.hasPrefix("!")
            let p = ImageRecord.normalizePath(String(negate ? t.dropFirst() : Substring(t))).dropFirst()
            return p.isEmpty ? nil : (String(p), !negate)
        }
    }

    func excludes(_ rel: String) -> Bool {
        var excluded = false
        let parts = rel.split(separator: "/")
        for rule in rules {
            let flags: Int32 = rule.pattern.contains("**") ? 0 : FNM_PATHNAME
            let matched = (1...max(parts.count, 1)).contains { n in
                fnmatch(rule.pattern.replacingOccurrences(of: "**/", with: "*"), parts.prefix(n).joined(separator: "/"), flags) == 0
            }
            if matched { excluded = rule.exclude }
        }
        return excluded
    }
}
