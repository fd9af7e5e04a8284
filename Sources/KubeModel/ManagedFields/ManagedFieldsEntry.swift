import Foundation

/// One entry of `metadata.managedFields`: the fields one manager owns through one kind of write.
public struct ManagedFieldsEntry: Sendable, Equatable {
    public enum Operation: String, Sendable { case apply = "Apply", update = "Update" }

    public var manager: String
    public var operation: Operation
    public var apiVersion: String
    public var subresource: String
    /// RFC 3339, when the manager last changed the object.
    public var time: String?
    public var fields: FieldSet

    public init(manager: String, operation: Operation, apiVersion: String, subresource: String = "", time: String? = nil, fields: FieldSet) {
        self.manager = manager
        self.operation = operation
        self.apiVersion = apiVersion
        self.subresource = subresource
        self.time = time
        self.fields = fields
    }

    /// What makes two entries the same manager (BuildManagerIdentifier): an applier is one entry
    /// whatever version it applies; an updater is one per version.
    public struct Identity: Hashable, Sendable {
        public let manager: String
        public let operation: Operation
        public let apiVersion: String
        public let subresource: String

        public init(manager: String, operation: Operation, apiVersion: String, subresource: String) {
            self.manager = manager.isEmpty ? "unknown" : manager
            self.operation = operation
            self.apiVersion = operation == .apply ? "" : apiVersion
            self.subresource = subresource
        }

        /// As printManager writes it in conflict messages: `"kubectl-set" using apps/v1`.
        public var described: String {
            var s = JSONSerializer.string(.string(manager))
            if !subresource.isEmpty { s += " with subresource " + JSONSerializer.string(.string(subresource)) }
            if operation == .update { s += " using " + apiVersion }
            return s
        }
    }

    public var identity: Identity { Identity(manager: manager, operation: operation, apiVersion: apiVersion, subresource: subresource) }

    public var json: JSONValue {
        var o: [String: JSONValue] = [
            "manager": .string(manager), "operation": .string(operation.rawValue), "apiVersion": .string(apiVersion),
            "fieldsType": "FieldsV1", "fieldsV1": fields.fieldsV1,
        ]
        if let time { o["time"] = .string(time) }
        if !subresource.isEmpty { o["subresource"] = .string(subresource) }
        return .object(o)
    }

    /// Reads `metadata.managedFields` as DecodeManagedFields does; nil when any entry is not
    /// valid (unknown operation, no apiVersion, fieldsType other than FieldsV1, bad fieldsV1).
    public static func decode(_ value: JSONValue?) -> [ManagedFieldsEntry]? {
        guard let value else { return [] }
        guard case .array(let items) = value else { return nil }
        var out: [ManagedFieldsEntry] = []
        var seen: [Identity: Int] = [:]
        for item in items {
            guard let op = item["operation"]?.stringValue.flatMap(Operation.init(rawValue:)),
                let apiVersion = item["apiVersion"]?.stringValue, !apiVersion.isEmpty,
                item["fieldsType"]?.stringValue == "FieldsV1"
            else { return nil }
            var fields = FieldSet()
            if let raw = item["fieldsV1"] {
                guard let f = FieldSet(fieldsV1: raw) else { return nil }
                fields = f
            }
            let entry = ManagedFieldsEntry(
                manager: item["manager"]?.stringValue ?? "", operation: op, apiVersion: apiVersion,
                subresource: item["subresource"]?.stringValue ?? "", time: item["time"]?.stringValue, fields: fields)
            if let i = seen[entry.identity] { out[i] = entry } else {
                seen[entry.identity] = out.count
                out.append(entry)
            }
        }
        return out
    }

    /// The order kube-apiserver writes entries in: appliers first, then by time, manager,
    /// apiVersion and subresource.
    public static func sorted(_ entries: [ManagedFieldsEntry]) -> [ManagedFieldsEntry] {
        func seconds(_ t: String?) -> Int64 { t.flatMap(Timestamp.parse).map { Int64($0.timeIntervalSince1970) } ?? 0 }
        return entries.sorted { p, q in
            if p.operation != q.operation { return p.operation.rawValue < q.operation.rawValue }
            let ps = seconds(p.time), qs = seconds(q.time)
            if ps != qs { return ps < qs }
            if p.manager != q.manager { return p.manager < q.manager }
            if p.apiVersion != q.apiVersion { return p.apiVersion < q.apiVersion }
            return p.subresource < q.subresource
        }
    }

    /// The `managedFields` value for a list of entries (nil when there are none).
    public static func encode(_ entries: [ManagedFieldsEntry]) -> JSONValue? {
        entries.isEmpty ? nil : .array(sorted(entries).map(\.json))
    }
}
