import ArgumentParser
import Foundation
import KubeClient
import KubeModel

struct Get: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "get", abstract: "Display one or many resources.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "TYPE[,TYPE...] [NAME...] | TYPE/NAME ...") var args: [String] = []
    @Option(name: [.short, .customLong("output")], help: "Output format: json|yaml|name|wide|jsonpath=…|custom-columns=…") var output: String?
    @Option(name: [.customShort("l"), .customLong("selector")], help: "Selector (label query) to filter on.") var selector: String?
    @Option(name: .customLong("field-selector"), help: "Selector (field query) to filter on.") var fieldSelector: String?
    @Flag(name: [.customShort("A"), .customLong("all-namespaces")], help: "List across all namespaces.") var allNamespaces = false
    @Flag(name: .customLong("show-labels"), help: "Show all labels as the last column.") var showLabels = false
    @Flag(name: [.short, .customLong("watch")], help: "After listing, watch for changes.") var watch = false
    @Option(name: .customLong("sort-by"), help: "Sort list by this JSONPath expression.") var sortBy: String?
    @Flag(name: .customLong("no-headers"), help: "Don't print headers.") var noHeaders = false
    @Flag(name: .customLong("show-managed-fields"), help: "Keep the managedFields when printing objects in JSON or YAML format.") var showManagedFields = false

    struct Request {
        let resource: APIResource
        var names: [String]
    }

    func run() async throws {
        try await Kctl.guarded {
            let session = try global.session()
            if let sortBy { _ = try sort([], by: sortBy) }
            let requests = try await parse(session)
            let human = output == nil || output == "wide"
            var failed = false
            if human {
                failed = try await printTables(session, requests)
            } else {
                var objects: [JSONValue] = []
                var single = requests.count == 1 && requests[0].names.count == 1
                for r in requests {
                    if r.names.isEmpty {
                        single = false
                        let list = try await self.list(session, r.resource)
                        objects += ObjectList(list).items.map { withType($0, r.resource) }
                    }
                    for name in r.names {
                        do {
                            objects.append(withType(try await session.client.call("GET", r.resource.path(namespace: session.namespace, name: name)), r.resource))
                        } catch let e as APIStatusError {
                            Terminal.err(ErrorText.server(e))
                            failed = true
                        }
                    }
                }
                if let sortBy { objects = try sort(objects, by: sortBy) }
                if !objects.isEmpty || single {
                    let byKind = Dictionary(requests.map { ($0.resource.kind, $0.resource) }, uniquingKeysWith: { a, _ in a })
                    Terminal.out(try ObjectPrinter.print(objects, format: output ?? "yaml", single: single, showManagedFields: showManagedFields) { byKind[$0["kind"]?.stringValue ?? ""] })
                } else if !failed {
                    noResources(session, requests)
                }
            }
            if watch, let r = requests.first { try await watchRows(session, r) }
            if failed { throw ExitCode(1) }
        }
    }

    func ns(_ session: Session, _ r: APIResource) -> String? {
        allNamespaces || !r.namespaced ? nil : session.namespace
    }

    /// Lists one resource; a 400 or 404 names what was listed, as kubectl's resource builder does
    /// (`Unable to find "apps/v1, Resource=deployments" that match label selector "a in b", …`).
    func list(_ session: Session, _ r: APIResource, accept: String = "application/json") async throws -> JSONValue {
        do {
            var q = query(limit: accept != "application/json")
            // Sorting a table needs each row's whole object, as kubectl asks for it.
            if sortBy != nil && accept != "application/json" { q.append(("includeObject", "Object")) }
            return try await session.client.call("GET", r.path(namespace: ns(session, r)), query: q, accept: accept)
        } catch let e as APIStatusError where e.code == 400 || e.code == 404 {
            let gvr = "\(r.groupVersion == r.version ? "/" + r.version : r.groupVersion), Resource=\(r.plural)"
            let message = selector == nil && fieldSelector == nil
                ? "Unable to list \"\(gvr)\": \(e.message)"
                : "Unable to find \"\(gvr)\" that match label selector \"\(selector ?? "")\", field selector \"\(fieldSelector ?? "")\": \(e.message)"
            throw APIStatusError(code: e.code, reason: e.reason, message: message, status: e.status)
        }
    }

    func query(limit: Bool = false) -> [(String, String)] {
        var q: [(String, String)] = []
        if let selector { q.append(("labelSelector", selector)) }
        if let fieldSelector { q.append(("fieldSelector", fieldSelector)) }
        if limit { q.append(("limit", "500")) }
        return q
    }

    /// Lists carry no kind on their items in Kubernetes' JSON; kubectl adds it back.
    func withType(_ o: JSONValue, _ r: APIResource) -> JSONValue {
        var o = o
        if o["kind"] == nil { o["kind"] = .string(r.kind) }
        if o["apiVersion"] == nil { o["apiVersion"] = .string(r.groupVersion) }
        return o
    }

    func parse(_ session: Session) async throws -> [Request] {
        guard let first = args.first else {
            throw KctlError("You must specify the type of resource to get. Use \"kctl api-resources\" for a complete list of supported resources.")
        }
        if selector != nil && first.contains("/") { throw KctlError("selectors and the all flag cannot be used when passing resource/name arguments") }
        if selector != nil && args.count > 1 { throw KctlError("name cannot be provided when a selector is specified") }
        if first.contains("/") {
            var out: [Request] = []
            for a in args {
                let parts = a.split(separator: "/", maxSplits: 1).map(String.init)
                guard parts.count == 2 else { throw KctlError("there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kctl get resource/<resource_name>' instead of 'kctl get resource resource/<resource_name>'") }
                let r = try await session.resource(parts[0])
                if let i = out.firstIndex(where: { $0.resource == r }) { out[i].names.append(parts[1]) } else { out.append(Request(resource: r, names: [parts[1]])) }
            }
            return out
        }
        var out: [Request] = []
        for t in first.split(separator: ",").map(String.init) {
            if t == "all" {
                out += try await session.resources().category("all").map { Request(resource: $0, names: []) }
            } else {
                out.append(Request(resource: try await session.resource(t), names: []))
            }
        }
        let names = Array(args.dropFirst())
        if !names.isEmpty {
            guard out.count == 1 else { throw KctlError("arguments in resource/name form must have a single resource and name") }
            out[0].names = names
        }
        return out
    }

    func noResources(_ session: Session, _ requests: [Request]) {
        if !allNamespaces && requests.contains(where: { $0.resource.namespaced }) {
            Terminal.err("No resources found in \(session.namespace) namespace.")
        } else {
            Terminal.err("No resources found")
        }
    }

    /// Objects (or table rows, by their `object`) in the order of a JSONPath's value.
    func sort(_ objects: [JSONValue], by expr: String, rows: Bool = false) throws -> [JSONValue] {
        var path = expr
        if path.hasPrefix("{") && path.hasSuffix("}") { path = String(path.dropFirst().dropLast()) }
        let steps = try JSONPath.Parser.steps(path)
        func key(_ o: JSONValue) -> JSONValue { JSONPath.evaluate(steps, [rows ? Table.Row(o).object ?? .null : o]).first ?? .null }
        return objects.sorted { a, b in
            switch (key(a), key(b)) {
            case (.int(let x), .int(let y)): return x < y
            case let (x, y):
                if let dx = x.doubleValue, let dy = y.doubleValue { return dx < dy }
                return JSONPath.text(x) < JSONPath.text(y)
            }
        }
    }
}
