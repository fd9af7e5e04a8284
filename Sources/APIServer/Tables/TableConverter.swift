import Foundation
import KubeModel

/// Server-side printing: `meta.k8s.io/v1` Tables with the columns kube-apiserver prints.
struct TableConverter: Sendable {
    let now: Date

    static let contentType = "application/json;as=Table;v=v1;g=meta.k8s.io"

    func table(_ info: ResourceInfo, _ objects: [JSONValue], rv: String?, includeObject: String = "Metadata", headers: Bool = true) -> JSONValue {
        let printer = info.definition.printer
        let context = TableRowContext(now: now)
        let columns = headers ? printer.columns : []
        var rows: [JSONValue] = []
        rows.reserveCapacity(objects.count)
        for o in objects {
            var row: JSONValue = ["cells": .array(printer.cells(o, context))]
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
                 "description": .string(c.description), "priority": .int(Int64(c.priority))]
            }),
            "rows": .array(rows),
        ]
    }
}
