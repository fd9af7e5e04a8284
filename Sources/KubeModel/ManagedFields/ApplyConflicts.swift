/// Fields an apply would take from other managers (merge.Conflicts), worded as kube-apiserver's
/// NewConflictError words them.
public struct ApplyConflicts: Error, Sendable, Equatable {
    public struct Conflict: Sendable, Equatable {
        public let manager: ManagedFieldsEntry.Identity
        public let path: [String]
    }

    public let conflicts: [Conflict]

    /// From each manager's conflicting fields, managers and paths in order.
    init(_ sets: [ManagedFieldsEntry.Identity: FieldSet]) {
        let managers = sets.keys.sorted {
            ($0.manager, $0.operation.rawValue, $0.apiVersion, $0.subresource) < ($1.manager, $1.operation.rawValue, $1.apiVersion, $1.subresource)
        }
        conflicts = managers.flatMap { m in (sets[m] ?? FieldSet()).paths.map { Conflict(manager: m, path: $0) } }
    }

    init(conflicts: [Conflict]) { self.conflicts = conflicts }

    /// `Apply failed with 1 conflict: conflict with "kubectl-set" using apps/v1: .spec…`
    public var message: String {
        if conflicts.count == 1, let c = conflicts.first {
            return "Apply failed with 1 conflict: conflict with \(c.manager.described): \(FieldPath.describe(c.path))"
        }
        var lines: [String] = []
        var last: ManagedFieldsEntry.Identity?
        for c in conflicts {
            if c.manager != last { lines.append("conflicts with \(c.manager.described):") }
            last = c.manager
            lines.append("- " + FieldPath.describe(c.path))
        }
        return "Apply failed with \(conflicts.count) conflicts: " + lines.joined(separator: "\n")
    }

    /// `details.causes`: one FieldManagerConflict per field.
    public var causes: [JSONValue] {
        conflicts.map {
            ["reason": "FieldManagerConflict", "message": .string("conflict with \($0.manager.described)"),
             "field": .string(FieldPath.describe($0.path))]
        }
    }

    /// The conflicts whose fields are not in `allowed`.
    func excluding(_ allowed: FieldSet) -> ApplyConflicts {
        ApplyConflicts(conflicts: conflicts.filter { !allowed.contains($0.path) })
    }
}
