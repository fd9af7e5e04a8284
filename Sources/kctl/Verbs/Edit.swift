import ArgumentParser
import Foundation
import KubeClient
import KubeModel
import KubeYAML

/// `edit`: opens the object in $KUBE_EDITOR/$EDITOR, sends what changed as a strategic merge
/// patch, and, as kubectl's editor loop does, reopens the file with the reasons when it does not
/// parse or the server finds it invalid; other refusals end with `replace -f` advice.
struct Edit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "edit", abstract: "Edit a resource on the server.")
    @OptionGroup var global: GlobalOptions
    @Argument var args: [String] = []

    static let header = """
        # Please edit the object below. Lines beginning with a '#' will be ignored,
        # and an empty file will abort the edit. If an error occurs while saving this file will be
        # reopened with the relevant failures.
        #

        """

    /// Why the file is being reopened: a headline and its details, each a comment line.
    struct Reason {
        let head: String
        var details: [String] = []

        var text: String {
            "# " + Edit.commented(head) + (details.isEmpty ? "" : ":") + "\n" + details.map { "# * " + Edit.commented($0) + "\n" }.joined() + "#\n"
        }
    }

    func run() async throws {
        try await Kctl.guarded {
            let session = try global.session()
            for (r, name) in try await TypeName.parse(args, session) {
                try await edit(r, name, session)
            }
        }
    }

    func edit(_ r: APIResource, _ name: String, _ session: Session) async throws {
        let path = r.path(namespace: r.namespaced ? session.namespace : nil, name: name)
        var current = try await session.client.call("GET", path)
        current.set(["metadata", "managedFields"], nil)
        let original = YAMLEncoding.string(current)
        let label = "\(r.qualifiedPlural) \"\(name)\""
        var reasons: [Reason] = []
        var containsError = false
        var edited = ""
        var previousFile: String?
        while true {
            let body = containsError ? Self.withoutComments(edited) : original
            let before = edited
            let file = NSTemporaryDirectory() + "kctl-edit-\(UInt32.random(in: 0...UInt32.max)).yaml"
            try (Self.header + reasons.map(\.text).joined() + body).write(toFile: file, atomically: true, encoding: .utf8)
            try Self.openEditor(file)
            edited = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
            if containsError && Self.content(before) == Self.content(edited) {
                Terminal.err("A copy of your changes has been stored to \"\(file)\"")
                throw KctlError("Edit cancelled, no valid changes were saved.")
            }
            if let previousFile { try? FileManager.default.removeItem(atPath: previousFile) }
            previousFile = file
            let doc: JSONValue
            switch Self.validated(edited) {
            case .failure(let problem):
                Terminal.error("\(label) is invalid")
                reasons = [Reason(head: "\(label) was not valid", details: ["<nil>: Invalid value: \"The edited file failed validation\": \(problem.message)"])]
                containsError = true
                continue
            case .success(let parsed):
                doc = parsed
            }
            if Self.content(original) == Self.content(edited) {
                try? FileManager.default.removeItem(atPath: file)
                Terminal.err("Edit cancelled, no changes made.")
                return
            }
            reasons = []
            containsError = false
            if doc["apiVersion"] != current["apiVersion"] || doc["kind"] != current["kind"] || doc.metaName != current.metaName {
                Terminal.err("A copy of your changes has been stored to \"\(file)\"")
                throw KctlError("At least one of apiVersion, kind and name was changed")
            }
            let patch = ThreeWayMerge().patch(original: current, modified: doc, current: current, typeName: SchemaTypes.name(for: r))
            if patch == .emptyObject {
                try? FileManager.default.removeItem(atPath: file)
                Terminal.line("\(r.typePrefix)/\(name) skipped")
                return
            }
            do {
                _ = try await session.client.call("PATCH", path, query: [("fieldManager", "kubectl-edit"), ("fieldValidation", "Strict")],
                                                  body: patch, contentType: "application/strategic-merge-patch+json")
                try? FileManager.default.removeItem(atPath: file)
                Terminal.line("\(r.typePrefix)/\(name) edited")
                return
            } catch let e as APIStatusError where e.code == 422 {
                Terminal.error("\(label) is invalid")
                reasons = [Reason(head: "\(label) was not valid", details: (e.details?.causes ?? []).map { "\($0.field): \($0.message)" })]
                containsError = true
            } catch let e as APIStatusError where e.code == 404 {
                Terminal.error("\(label) could not be found on the server")
                Terminal.err("The edits you made on deleted resources have been saved to \"\(file)\"")
                throw ExitCode(1)
            } catch let e as APIStatusError {
                Terminal.error("\(label) could not be patched: \(e.message)")
                Terminal.err("You can run `kctl replace -f \(file)` to try this update again.")
                throw ExitCode(1)
            }
        }
    }

    /// What kubectl's client-side check finds wrong with the edited file before anything is
    /// sent: YAML that does not parse (an empty file included), or no apiVersion and kind.
    static func validated(_ edited: String) -> Result<JSONValue, KctlError> {
        let doc: JSONValue?
        do {
            doc = try YAMLDecoding.documents(withoutComments(edited)).first
        } catch let e as YAMLDecoding.Failure {
            return .failure(KctlError(e.message.replacingOccurrences(of: "error converting YAML to JSON: ", with: "")))
        } catch {
            return .failure(KctlError("\(error)"))
        }
        guard let doc, case .object = doc else { return .failure(KctlError("invalid object to validate")) }
        var missing: [String] = []
        if doc["apiVersion"] == nil { missing.append("apiVersion not set") } else if doc["apiVersion"]?.stringValue == nil { missing.append("apiVersion isn't string type") }
        if doc["kind"] == nil { missing.append("kind not set") } else if doc["kind"]?.stringValue == nil { missing.append("kind isn't string type") }
        if missing.isEmpty { return .success(doc) }
        return .failure(KctlError(missing.count == 1 ? missing[0] : "[" + missing.joined(separator: ", ") + "]"))
    }

    /// Multi-line reasons stay comments: every line break gets a `# ` after it.
    static func commented(_ s: String) -> String { s.replacingOccurrences(of: "\n", with: "\n# ") }

    /// The file without its comment lines (`#!` is not a comment), as kubectl's ManualStrip.
    static func withoutComments(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).filter { line in
            let t = line.trimmingCharacters(in: .whitespaces)
            return !t.hasPrefix("#") || t.hasPrefix("#!")
        }.joined(separator: "\n")
    }

    /// What an edit compares: the document's JSON, or its text without comments when it does
    /// not parse (kubectl's StripComments).
    static func content(_ text: String) -> String {
        if let docs = try? YAMLDecoding.documents(text) { return docs.map { JSONSerializer.string($0) }.joined(separator: "\n") }
        return withoutComments(text)
    }

    static func openEditor(_ file: String) throws {
        let env = ProcessInfo.processInfo.environment
        let editor = env["KUBE_EDITOR"] ?? env["EDITOR"] ?? "vi"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", "\(editor) \"$1\"", "kctl-edit", file]
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw KctlError("there was a problem with the editor \"\(editor)\"") }
    }
}
