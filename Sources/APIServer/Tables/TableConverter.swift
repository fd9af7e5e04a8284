import Foundation
import KubeModel

/// Server-side printing: `meta.k8s.io/v1` Tables with the columns kube-apiserver prints.
struct TableConverter: Sendable {
    struct Column {
        let name: String
        let type: String
        let priority: Int
        let format: String
        init(_ name: String, _ type: String = "string", wide: Bool = false, format: String = "") {
            self.name = name
            self.type = type
            self.priority = wide ? 1 : 0
            self.format = format
        }
    }

    let now: Date

    static let contentType = "application/json;as=Table;v=v1;g=meta.k8s.io"

    func table(_ info: ResourceInfo, _ objects: [JSONValue], rv: String?, includeObject: String = "Metadata", headers: Bool = true) -> JSONValue {
        let printer = Printers.printer(for: info.kind)
        let columns = headers ? printer.columns : []
        var rows: [JSONValue] = []
        rows.reserveCapacity(objects.count)
        for o in objects {
            var row: JSONValue = ["cells": .array(printer.cells(o, self))]
            switch includeObject {
            case "None": break
            case "Object": row["object"] = o
            default:
                row["object"] = ["kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": o["metadata"] ?? .emptyObject]
            }
            rows.append(row)
        }
        var meta: JSONValue = .emptyObject
        if let rv { meta["resourceVersion"] = .string(rv) }
        return [
            "kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": meta,
            "columnDefinitions": .array(columns.map { c in
                ["name": .string(c.name), "type": .string(c.type), "format": .string(c.name == "Name" ? "name" : c.format),
                 "description": .string(Printers.descriptions[c.name] ?? ""), "priority": .int(Int64(c.priority))]
            }),
            "rows": .array(rows),
        ]
    }

    func age(_ o: JSONValue) -> JSONValue { age(o[path: ["metadata", "creationTimestamp"]]?.stringValue) }

    func age(_ timestamp: String?) -> JSONValue {
        guard let t = timestamp, let d = Timestamp.parse(t) else { return "<unknown>" }
        return .string(HumanDuration.format(seconds: now.timeIntervalSince(d)))
    }
}

/// A kind's columns and how to fill them.
struct Printer: Sendable {
    let columns: [TableConverter.Column]
    let cells: @Sendable (JSONValue, TableConverter) -> [JSONValue]
}
