import ArgumentParser
import Foundation
import KubeClient
import KubeModel

struct Apply: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "apply", abstract: "Apply a configuration to a resource by file name or stdin.")

    static let lastApplied = "kubectl.kubernetes.io/last-applied-configuration"

    @OptionGroup var global: GlobalOptions
    @Option(name: [.short, .customLong("filename")], help: "Files, directories or - (stdin).") var filenames: [String] = []
    @Flag(name: [.customShort("R"), .customLong("recursive")], help: "Process the directory used in -f recursively.") var recursive = false
    @Option(name: .customLong("dry-run"), help: "none, client or server.") var dryRun = "none"
    @Flag(name: .customLong("server-side"), help: "Apply on the server (server-side apply).") var serverSide = false
    @Flag(name: .customLong("force-conflicts"), help: "If true, server-side apply will force the changes against conflicts.") var forceConflicts = false
    @Option(name: .customLong("field-manager")) var fieldManager: String?
    @Option(name: [.short, .customLong("output")], help: "Output format: name|yaml|json.") var output: String?
    @Option(name: .customLong("validate"), help: "strict, warn, ignore (true/false).") var validate = "strict"

    var fieldValidation: String {
        switch validate {
        case "false", "ignore": return "Ignore"
        case "warn": return "Warn"
        default: return "Strict"
        }
    }

    func run() async throws {
        try await Kctl.guarded {
            guard !filenames.isEmpty else { throw KctlError("must specify one of -f and -k") }
            if forceConflicts && !serverSide { throw KctlError("--force-conflicts only works with --server-side") }
            if dryRun == "client" && serverSide {
                throw KctlError("--dry-run=client doesn't work with --server-side (did you mean --dry-run=server instead?)")
            }
            let (objects, failures) = try Manifests.load(filenames, recursive: recursive)
            let session = try global.session()
            try await Manifests.each(objects, failures: failures) { try await apply($0, session) }
        }
    }

    func suffix() -> String {
        switch dryRun {
        case "client": return " (dry run)"
        case "server": return " (server dry run)"
        default: return ""
        }
    }

    func apply(_ m: ManifestObject, _ session: Session) async throws {
        var obj = m.object
        let r = try await session.resource(apiVersion: obj["apiVersion"]?.stringValue ?? "", kind: obj["kind"]?.stringValue ?? "")
        let name = obj.metadata.name
        let ns = try Namespacing.namespace(of: &obj, r, session)
        let path = r.path(namespace: ns, name: name)
        var query: [(String, String)] = [("fieldManager", fieldManager ?? (serverSide ? "kubectl" : "kubectl-client-side-apply")), ("fieldValidation", fieldValidation)]
        if dryRun == "server" { query.append(("dryRun", "All")) }
        let label = "\(r.typePrefix)/\(name)"

        if serverSide {
            try await applyOnServer(obj, path: path, query: query, session)
            Terminal.line("\(label) serverside-applied\(suffix())")
            return
        }
        let modified = Self.withLastApplied(obj)
        let current: JSONValue
        do {
            current = try await session.client.call("GET", path)
        } catch let e as APIStatusError where e.code == 404 {
            if dryRun != "client" {
                do {
                    _ = try await session.client.call("POST", r.path(namespace: ns), query: query, body: modified)
                } catch let e as APIStatusError {
                    throw APIStatusError(code: e.code, reason: e.reason, message: "error when creating \"\(m.source)\": \(e.message)", status: e.code == 422 ? e.status : nil)
                }
            }
            Terminal.line("\(label) created\(suffix())")
            return
        } catch let e as APIStatusError {
            throw APIStatusError(code: e.code, reason: e.reason, message: "error when retrieving current configuration of:\nResource: \"\(r.qualifiedPlural)\", GroupVersionKind: \"\(r.groupVersion), Kind=\(r.kind)\"\nName: \"\(name)\", Namespace: \"\(ns ?? "")\"\nfrom server for: \"\(m.source)\": \(e.message)")
        }
        // A client dry run neither computes the patch nor warns: kubectl just says "configured".
        if dryRun == "client" {
            Terminal.line("\(label) configured\(suffix())")
            return
        }
        var original: JSONValue?
        if let text = current.metadata.annotations[Self.lastApplied] {
            original = try? JSONParser.parse(text)
        } else {
            Terminal.err("Warning: resource \(r.plural)/\(name) is missing the \(Self.lastApplied) annotation which is required by kctl apply. kctl apply should only be used on resources created declaratively by either kctl create --save-config or kctl apply. The missing annotation will be patched automatically.")
        }
        let schema = SchemaTypes.name(for: r)
        let patch = ThreeWayMerge().patch(original: original, modified: modified, current: current, typeName: schema)
        if patch == .emptyObject {
            Terminal.line("\(label) unchanged\(suffix())")
            return
        }
        if dryRun != "client" {
            do {
                _ = try await session.client.call("PATCH", path, query: query, body: patch, contentType: "application/strategic-merge-patch+json")
            } catch let e as APIStatusError {
                throw APIStatusError(code: e.code, reason: e.reason, message: "error when applying patch:\n\(JSONSerializer.string(patch))\nto:\nResource: \"\(r.qualifiedPlural)\", GroupVersionKind: \"\(r.groupVersion), Kind=\(r.kind)\"\nName: \"\(name)\", Namespace: \"\(ns ?? "")\"\nfor: \"\(m.source)\": \(e.message)", status: e.code == 422 ? e.status : nil)
            }
        }
        Terminal.line("\(label) configured\(suffix())")
    }

    /// The manifest plus the annotation recording it, as kubectl writes it (compact JSON of the
    /// manifest with `annotations: {}` when it had none, and a trailing newline).
    static func withLastApplied(_ obj: JSONValue) -> JSONValue {
        var recorded = obj
        var annotations = recorded.metadata.annotationsValue?.objectValue ?? [:]
        annotations[lastApplied] = nil
        recorded.set(["metadata", "annotations"], .object(annotations))
        var out = obj
        annotations[lastApplied] = .string(JSONSerializer.string(recorded) + "\n")
        out.set(["metadata", "annotations"], .object(annotations))
        return out
    }
}

/// Which namespace an object goes to: its own, or the session's; `-n` must agree with it.
enum Namespacing {
    static func namespace(of obj: inout JSONValue, _ r: APIResource, _ session: Session) throws -> String? {
        guard r.namespaced else { return nil }
        let own = obj.metadata.namespace
        if !own.isEmpty {
            if session.namespaceFlag && own != session.namespace {
                throw KctlError("the namespace from the provided object \"\(own)\" does not match the namespace \"\(session.namespace)\". You must pass '--namespace=\(own)' to perform this operation.")
            }
            return own
        }
        obj.set(["metadata", "namespace"], .string(session.namespace))
        return session.namespace
    }
}

/// The schema type used for strategic merge of a served resource (kubectl's compiled-in types).
enum SchemaTypes {
    static func name(for r: APIResource) -> String {
        if r.kind == "HorizontalPodAutoscaler" && r.version == "v1" { return "HorizontalPodAutoscalerV1" }
        return r.kind
    }
}
