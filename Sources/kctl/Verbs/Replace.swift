import ArgumentParser
import Foundation
import KubeClient
import KubeModel

/// `replace -f`: PUTs each object as written (kubectl's Helper.Replace: an object without a
/// resourceVersion takes the live one, so it overwrites whatever is there). `edit` suggests it
/// when the server refuses a change for a reason other than validation.
struct Replace: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "replace", abstract: "Replace a resource by file name or stdin.")
    @OptionGroup var global: GlobalOptions
    @Option(name: [.short, .customLong("filename")], help: "Files, directories or - (stdin).") var filenames: [String] = []
    @Flag(name: [.customShort("R"), .customLong("recursive")]) var recursive = false
    @Option(name: .customLong("dry-run"), help: "none, client or server.") var dryRun = "none"

    func run() async throws {
        try await Kctl.guarded {
            guard !filenames.isEmpty else { throw KctlError("must specify --filename to replace") }
            let objects = try Manifests.read(filenames, recursive: recursive)
            let session = try global.session()
            var failed = false
            for m in objects {
                do {
                    try await replace(m, session)
                } catch let e as APIStatusError {
                    Terminal.err(ErrorText.server(APIStatusError(code: e.code, reason: e.reason, message: "error when replacing \"\(m.source)\": \(e.message)",
                                                                 status: e.code == 422 ? e.status : nil)))
                    failed = true
                }
            }
            if failed { throw ExitCode(1) }
        }
    }

    func replace(_ m: ManifestObject, _ session: Session) async throws {
        var obj = m.object
        let r = try await session.resource(apiVersion: obj["apiVersion"]?.stringValue ?? "", kind: obj["kind"]?.stringValue ?? "")
        let ns = try Namespacing.namespace(of: &obj, r, session)
        let name = obj.metaName
        let path = r.path(namespace: ns, name: name)
        if obj.metadata.resourceVersion.isEmpty, let live = try? await session.client.call("GET", path) {
            let rv = live.metadata.resourceVersion
            if !rv.isEmpty { obj.set(["metadata", "resourceVersion"], .string(rv)) }
        }
        var query: [(String, String)] = [("fieldManager", "kubectl-replace"), ("fieldValidation", "Strict")]
        if dryRun == "server" { query.append(("dryRun", "All")) }
        if dryRun != "client" { _ = try await session.client.call("PUT", path, query: query, body: obj) }
        let suffix = dryRun == "client" ? " (dry run)" : dryRun == "server" ? " (server dry run)" : ""
        Terminal.line("\(r.typePrefix)/\(name) replaced\(suffix)")
    }
}
