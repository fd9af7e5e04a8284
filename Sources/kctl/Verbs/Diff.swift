import ArgumentParser
import Foundation
import KubeClient
import KubeModel
import KubeYAML

/// `diff -f`: each object as it is (LIVE) and as it would be once applied (MERGED, from a
/// server-side dry run of the same create or patch `apply` would send), written as YAML into two
/// folders that `$KUBECTL_EXTERNAL_DIFF` (default `diff -u -N`) compares. Exit 0: no
/// differences; 1: differences; above 1: kctl or the diff program failed.
struct Diff: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "diff", abstract: "Diff the live version against a would-be applied version.")
    @OptionGroup var global: GlobalOptions
    @Option(name: [.short, .customLong("filename")], help: "Files, directories or - (stdin).") var filenames: [String] = []
    @Flag(name: [.customShort("R"), .customLong("recursive")]) var recursive = false
    @Flag(name: .customLong("server-side"), help: "Diff against a server-side apply.") var serverSide = false
    @Option(name: .customLong("field-manager")) var fieldManager: String?
    @Flag(name: .customLong("force-conflicts")) var forceConflicts = false
    @Flag(name: .customLong("show-managed-fields"), help: "Include metadata.managedFields in the diff.") var showManagedFields = false

    /// kubectl retries a patch that lost a race with another writer, then diffs without the lock.
    static let maxRetries = 4

    func run() async throws {
        do {
            try await diff()
        } catch let e as ExitCode {
            throw e
        } catch {
            // Failures exit above 1, as 1 means "differences found".
            Terminal.error(ErrorText.describe(error))
            throw ExitCode(2)
        }
    }

    func diff() async throws {
        guard !filenames.isEmpty else { throw KctlError("must specify one of -f and -k") }
        if forceConflicts && !serverSide { throw KctlError("--force-conflicts only works with --server-side") }
        let objects = try Manifests.read(filenames, recursive: recursive)
        let session = try global.session()
        let live = try Self.temporaryFolder("LIVE"), merged = try Self.temporaryFolder("MERGED")
        defer {
            try? FileManager.default.removeItem(atPath: live)
            try? FileManager.default.removeItem(atPath: merged)
        }
        for m in objects {
            var obj = m.object
            let r = try await session.resource(apiVersion: obj["apiVersion"]?.stringValue ?? "", kind: obj["kind"]?.stringValue ?? "")
            let ns = try Namespacing.namespace(of: &obj, r, session)
            let file = (r.group.isEmpty ? "" : r.group + ".") + "\(r.version).\(r.kind).\(ns ?? "").\(obj.metaName)"
            var (before, after) = try await versions(obj, r, ns, session)
            if !showManagedFields {
                before?.set(["metadata", "managedFields"], nil)
                after.set(["metadata", "managedFields"], nil)
            }
            // A missing object leaves its LIVE file empty, except a Secret's: kubectl's masker
            // turns the missing object into a typed nil, which prints as YAML's null.
            var missing = ""
            if r.kind == "Secret" && r.groupVersion == "v1" {
                (before, after) = Self.masked(before, after)
                missing = "null\n"
            }
            try (before.map(YAMLEncoding.string) ?? missing).write(toFile: live + "/" + file, atomically: false, encoding: .utf8)
            try YAMLEncoding.string(after).write(toFile: merged + "/" + file, atomically: false, encoding: .utf8)
        }
        let status = try Self.runDiff(live, merged)
        if status != 0 { throw ExitCode(status) }
    }

    /// The live object (nil if it does not exist) and the object as applying would leave it.
    func versions(_ obj: JSONValue, _ r: APIResource, _ ns: String?, _ session: Session) async throws -> (JSONValue?, JSONValue) {
        let path = r.path(namespace: ns, name: obj.metaName)
        let manager = fieldManager ?? (serverSide ? "kubectl" : "kubectl-client-side-apply")
        for attempt in 1...Self.maxRetries {
            let live: JSONValue?
            do {
                live = try await session.client.call("GET", path)
            } catch let e as APIStatusError where e.code == 404 {
                live = nil
            }
            do {
                if serverSide {
                    let after = try await session.client.call("PATCH", path, query: [("dryRun", "All"), ("fieldManager", manager), ("force", String(forceConflicts))],
                                                              body: obj, contentType: "application/apply-patch+yaml")
                    return (live, after)
                }
                guard let live else {
                    return (nil, try await session.client.call("POST", r.path(namespace: ns), query: [("dryRun", "All"), ("fieldManager", manager)], body: obj))
                }
                let original = live.metadata.annotations[Apply.lastApplied].flatMap { try? JSONParser.parse($0) }
                // The manifest without the last-applied annotation but with its (maybe empty)
                // annotations map, as kubectl's GetModifiedConfiguration makes it for diff.
                var modified = obj
                var annotations = obj.metadata.annotationsValue?.objectValue ?? [:]
                annotations[Apply.lastApplied] = nil
                modified.set(["metadata", "annotations"], .object(annotations))
                var patch = ThreeWayMerge().patch(original: original, modified: modified, current: live, typeName: SchemaTypes.name(for: r))
                if patch == .emptyObject { return (live, live) }
                // Without the lock on the last try, as kubectl's "keeps changing, diffing without lock".
                if attempt < Self.maxRetries { patch.set(["metadata", "resourceVersion"], .string(live.metadata.resourceVersion)) }
                let after = try await session.client.call("PATCH", path, query: [("dryRun", "All"), ("fieldManager", manager)],
                                                          body: patch, contentType: "application/strategic-merge-patch+json")
                return (live, after)
            } catch let e as APIStatusError where e.code == 409 && e.reason == "Conflict" && attempt < Self.maxRetries {
                continue
            }
        }
        throw KctlError("\(r.typePrefix)/\(obj.metaName) keeps changing")
    }

    /// Secret values never reach the diff: each becomes `***`, with `(before)`/`(after)` where a
    /// key's value changed, so the change still shows (kubectl's Masker).
    static func masked(_ before: JSONValue?, _ after: JSONValue) -> (JSONValue?, JSONValue) {
        var before = before, after = after
        let from = before.flatMap { Secret($0).data }, to = Secret(after).data
        var maskedFrom: [String: JSONValue] = [:], maskedTo: [String: JSONValue] = [:]
        for (k, v) in from ?? [:] {
            if let t = to?[k] {
                maskedFrom[k] = t == v ? "***" : "*** (before)"
                maskedTo[k] = t == v ? "***" : "*** (after)"
            } else {
                maskedFrom[k] = "***"
            }
        }
        for k in (to ?? [:]).keys where maskedTo[k] == nil { maskedTo[k] = "***" }
        if from != nil { before?["data"] = .object(maskedFrom) }
        if to != nil { after["data"] = .object(maskedTo) }
        return (before, after)
    }

    /// A new folder in the temporary directory named PREFIX-<digits>, as Go's os.MkdirTemp.
    static func temporaryFolder(_ prefix: String) throws -> String {
        let base = (ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp")
        for _ in 0..<100 {
            let path = (base as NSString).appendingPathComponent("\(prefix)-\(UInt32.random(in: 0...UInt32.max))")
            if mkdir(path, 0o700) == 0 { return path }
        }
        throw KctlError("cannot create a temporary folder in \(base)")
    }

    /// Runs `$KUBECTL_EXTERNAL_DIFF` (its extra arguments only if made of letters, digits, `-`
    /// and `=`, as kubectl allows) or `diff -u -N` on the two folders; returns its exit status
    /// when 0 or 1, and fails for anything else.
    static func runDiff(_ from: String, _ to: String) throws -> Int32 {
        var program = "diff", args = ["-u", "-N"]
        if let external = ProcessInfo.processInfo.environment["KUBECTL_EXTERNAL_DIFF"], !external.isEmpty {
            let words = external.split(separator: " ").map(String.init)
            program = words[0]
            args = words.dropFirst().filter { w in
                let ok = w.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "=") }
                if !ok { Terminal.err("W invalid argument is ignored: \(w), only Alphanumeric (case-insensitive), dash and equal are allowed") }
                return ok
            }
        }
        guard let executable = lookPath(program) else { throw KctlError("failed to run \"\(program)\": executable file not found in $PATH") }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = args + [from, to]
        do {
            try p.run()
        } catch {
            throw KctlError("failed to run \"\(program)\": \(error.localizedDescription)")
        }
        p.waitUntilExit()
        guard p.terminationStatus <= 1 else { throw KctlError("failed to run \"\(program)\": exit status \(p.terminationStatus)") }
        return p.terminationStatus
    }

    /// The program's path: as given when it names a path, else the first executable in $PATH.
    static func lookPath(_ program: String) -> String? {
        if program.contains("/") { return FileManager.default.isExecutableFile(atPath: program) ? program : nil }
        let dirs = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
        return dirs.map { ($0 as NSString).appendingPathComponent(program) }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
