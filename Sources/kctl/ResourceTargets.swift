import Foundation
import KubeClient
import KubeModel

/// One object a verb acts on.
struct ResourceTarget {
    let resource: APIResource
    let namespace: String?
    let name: String
    /// The file it was read from (`-f`), for kubectl's "error when deleting \"app.yaml\"".
    let source: String?
    /// Found by listing (`-l`, `--all`) rather than named: it existed a moment ago.
    var listed = false
}

/// Finds the objects a verb acts on as kubectl's resource builder does: `-f` files, `TYPE/NAME
/// ...`, `TYPE NAME ...`, or `TYPE[,TYPE]` with `-l`, `--field-selector` or `--all` (listed).
struct ResourceTargets {
    var filenames: [String] = []
    var recursive = false
    var selector: String?
    var fieldSelector: String?
    var all = false
    var allNamespaces = false

    func collect(_ args: [String], _ session: Session) async throws -> [ResourceTarget] {
        if !filenames.isEmpty {
            return try await Manifests.read(filenames, recursive: recursive).asyncMap { m in
                var obj = m.object
                let r = try await session.resource(apiVersion: obj["apiVersion"]?.stringValue ?? "", kind: obj["kind"]?.stringValue ?? "")
                let ns = try Namespacing.namespace(of: &obj, r, session)
                return ResourceTarget(resource: r, namespace: ns, name: obj.metadata.name, source: m.source)
            }
        }
        guard let first = args.first else {
            throw KctlError("You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'")
        }
        if first.contains("/") {
            return try await args.asyncMap { a in
                let parts = a.split(separator: "/", maxSplits: 1).map(String.init)
                let r = try await session.resource(parts[0])
                return ResourceTarget(resource: r, namespace: r.namespaced ? session.namespace : nil, name: parts.count > 1 ? parts[1] : "", source: nil)
            }
        }
        var out: [ResourceTarget] = []
        for t in first.split(separator: ",").map(String.init) {
            let r = try await session.resource(t)
            let ns = r.namespaced ? session.namespace : nil
            if args.count > 1 {
                out += args.dropFirst().map { ResourceTarget(resource: r, namespace: ns, name: $0, source: nil) }
            } else if all || selector != nil || fieldSelector != nil {
                var q: [(String, String)] = []
                if let selector { q.append(("labelSelector", selector)) }
                if let fieldSelector { q.append(("fieldSelector", fieldSelector)) }
                let list = ObjectList(try await session.client.call("GET", r.path(namespace: allNamespaces ? nil : ns), query: q))
                out += list.items.map(\.metadata).map {
                    ResourceTarget(resource: r, namespace: r.namespaced ? $0.namespace : nil, name: $0.name, source: nil, listed: true)
                }
            } else {
                throw KctlError("resource(s) were provided, but no name was specified")
            }
        }
        return out
    }
}

extension Sequence {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var out: [T] = []
        for e in self { out.append(try await transform(e)) }
        return out
    }
}
