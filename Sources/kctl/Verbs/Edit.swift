import ArgumentParser
import Foundation
import KubeClient
import KubeModel
import KubeYAML

/// `edit`: opens the object in $KUBE_EDITOR/$EDITOR, sends what changed as a strategic merge
/// patch, and re-opens the editor with the server's complaint when the change is refused.
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

    func run() async throws {
        try await Kctl.guarded {
            let session = try global.session()
            for (r, name) in try await TypeName.parse(args, session) {
                let path = r.path(namespace: r.namespaced ? session.namespace : nil, name: name)
                // As kubectl edit without --show-managed-fields, the buffer leaves them out.
                let original = ObjectPrinter.omittingManagedFields(try await session.client.call("GET", path))
                let file = NSTemporaryDirectory() + "kctl-edit-\(UUID().uuidString).yaml"
                var text = Self.header + YAMLEncoding.string(original)
                var lastEdited = ""
                while true {
                    try text.write(toFile: file, atomically: true, encoding: .utf8)
                    try Self.openEditor(file)
                    let edited = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
                    let body = edited.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("#") }.joined(separator: "\n")
                    if body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                        throw KctlError("Edit cancelled, no changes made.")
                    }
                    if body == lastEdited { throw KctlError("Edit cancelled, no valid changes were saved.\nA copy of your changes has been stored to \"\(file)\"") }
                    lastEdited = body
                    guard let doc = try? YAMLDecoding.documents(body).first else { throw KctlError("Edit cancelled, no valid changes were saved.") }
                    let patch = ThreeWayMerge().patch(original: original, modified: doc, current: original, typeName: SchemaTypes.name(for: r))
                    if patch == .emptyObject {
                        Terminal.line("Edit cancelled, no changes made.")
                        break
                    }
                    do {
                        _ = try await session.client.call("PATCH", path, query: [("fieldManager", "kubectl-edit"), ("fieldValidation", "Strict")],
                                                          body: patch, contentType: "application/strategic-merge-patch+json")
                        Terminal.line("\(r.typePrefix)/\(name) edited")
                        try? FileManager.default.removeItem(atPath: file)
                        break
                    } catch let e as APIStatusError {
                        let problems = ErrorText.server(e).split(separator: "\n").map { "# * " + $0 }.joined(separator: "\n")
                        text = Self.header + "# \(r.qualifiedPlural) \"\(name)\" was not valid:\n" + problems + "\n#\n" + body
                    }
                }
            }
        }
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
