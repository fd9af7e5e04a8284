import Foundation

/// Read access to `metadata`, the typed view every controller needs of any object.
extension JSONValue {
    public var metaName: String { self[path: ["metadata", "name"]]?.stringValue ?? "" }
    public var metaNamespace: String { self[path: ["metadata", "namespace"]]?.stringValue ?? "" }
    public var uid: String { self[path: ["metadata", "uid"]]?.stringValue ?? "" }
    public var resourceVersion: String { self[path: ["metadata", "resourceVersion"]]?.stringValue ?? "" }
    public var generation: Int64 { self[path: ["metadata", "generation"]]?.intValue ?? 0 }
    public var metaLabels: [String: String] { labelsOf(self) }
    public var metaAnnotations: [String: String] {
        (self[path: ["metadata", "annotations"]]?.objectValue ?? [:]).compactMapValues(\.stringValue)
    }
    public var isDeleting: Bool { self[path: ["metadata", "deletionTimestamp"]] != nil }
    public var creationTimestamp: Date? { self[path: ["metadata", "creationTimestamp"]]?.stringValue.flatMap(Timestamp.parse) }
    public var finalizers: [String] { (self[path: ["metadata", "finalizers"]]?.arrayValue ?? []).compactMap(\.stringValue) }

    public var ownerReferences: [JSONValue] { self[path: ["metadata", "ownerReferences"]]?.arrayValue ?? [] }
    /// The owner reference with `controller: true`, if any.
    public var controllerRef: JSONValue? { ownerReferences.first { $0["controller"]?.boolValue == true } }

    /// A condition of `status.conditions` by type.
    public func condition(_ type: String) -> JSONValue? {
        self[path: ["status", "conditions"]]?.arrayValue?.first { $0["type"]?.stringValue == type }
    }
}
