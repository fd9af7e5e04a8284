import ArgumentParser
import Foundation
import KubeClient
import KubeModel

/// Column widths of the listing, kept for the watch rows that follow it.
final class WidthBox: @unchecked Sendable {
    // Safety: one command runs on one task; nothing shares this box across tasks.
    var value: [Int] = []
}

let listedWidths = WidthBox()

/// Human-readable `get`: the server renders Tables; kctl lays them out like kubectl.
extension Get {
    static let tableAccept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json"

    /// Prints one block per resource type. Returns true when some named object was missing.
    func printTables(_ session: Session, _ requests: [Request]) async throws -> Bool {
        var failed = false
        var blocks: [String] = []
        let prefixNames = requests.count > 1 || args.first == "all"
        for r in requests {
            var tables: [JSONValue] = []
            if r.names.isEmpty {
                tables.append(try await list(session, r.resource, accept: Self.tableAccept))
            }
            for name in r.names {
                do {
                    tables.append(try await session.client.call("GET", r.resource.path(namespace: session.namespace, name: name), accept: Self.tableAccept))
                } catch let e as APIStatusError {
                    Terminal.err(ErrorText.server(e))
                    failed = true
                }
            }
            let (rendered, widths) = render(tables, r.resource, prefix: prefixNames, headers: !noHeaders)
            if !rendered.isEmpty { blocks.append(rendered) }
            listedWidths.value = widths
        }
        if blocks.isEmpty && !failed { noResources(session, requests) }
        Terminal.out(blocks.joined(separator: "\n"))
        return failed
    }

    func columns(_ table: Table) -> [(name: String, index: Int)] {
        table.columnDefinitions.enumerated().compactMap { i, c in
            c.priority == 0 || output == "wide" ? (c.name.uppercased(), i) : nil
        }
    }

    func cells(_ row: Table.Row, _ cols: [(name: String, index: Int)], _ r: APIResource, prefix: Bool) -> [String] {
        let cells = row.cells
        var out: [String] = []
        let meta = row.object?.metadata
        if allNamespaces && r.namespaced { out.append(meta?.namespace ?? "") }
        for (n, c) in cols.enumerated() {
            var text = c.index < cells.count ? JSONPath.text(cells[c.index]) : ""
            if c.index < cells.count, cells[c.index].isNull { text = "<none>" }
            if n == 0 && prefix { text = "\(r.typePrefix)/\(text)" }
            out.append(text)
        }
        if showLabels {
            out.append(Printable.map(meta?.labels))
        }
        return out
    }

    func render(_ tables: [JSONValue], _ r: APIResource, prefix: Bool, headers: Bool) -> (String, [Int]) {
        let tables = tables.map(Table.init)
        guard let first = tables.first else { return ("", []) }
        let cols = columns(first)
        var t = TableWriter()
        var rows = 0
        if headers {
            var h: [String] = []
            if allNamespaces && r.namespaced { h.append("NAMESPACE") }
            h += cols.map(\.name)
            if showLabels { h.append("LABELS") }
            t.add(h)
        }
        var all = tables.flatMap(\.rows)
        if let sortBy, let sorted = try? sort(all.map(\.json), by: sortBy, rows: true) { all = sorted.map(Table.Row.init) }
        for row in all {
            t.add(cells(row, cols, r, prefix: prefix))
            rows += 1
        }
        return (rows == 0 ? "" : t.render(), t.widths)
    }

    /// `-w`: after the listing, print a row per change, from the listing's revision.
    func watchRows(_ session: Session, _ r: Request) async throws {
        let human = output == nil || output == "wide"
        var q = query()
        if let name = r.names.first { q.append(("fieldSelector", "metadata.name=\(name)")) }
        let list = try await session.client.call("GET", r.resource.path(namespace: ns(session, r.resource)), query: q)
        q.append(("resourceVersion", ObjectList(list).metadata.resourceVersion ?? "0"))
        q.append(("watch", "true"))
        var cols: [(name: String, index: Int)]?
        for try await event in session.client.watch(path: r.resource.path(namespace: ns(session, r.resource)), query: q, accept: human ? Self.tableAccept : "application/json") {
            if event.type == "ERROR" {
                Terminal.error(event.object["message"]?.stringValue ?? "watch error")
                throw ExitCode(1)
            }
            if event.type == "BOOKMARK" { continue }
            if human {
                let table = Table(event.object)
                if cols == nil || !table.columnDefinitions.isEmpty, cols == nil {
                    cols = columns(table)
                }
                var t = TableWriter(minimumWidths: listedWidths.value)
                for row in table.rows { t.add(cells(row, cols ?? [], r.resource, prefix: false)) }
                Terminal.out(t.render())
            } else {
                Terminal.out(try ObjectPrinter.print([withType(event.object, r.resource)], format: output ?? "yaml", single: true, showManagedFields: showManagedFields) { _ in r.resource })
            }
        }
    }
}
