/// A list response of any kind (`PodList`, `DeploymentList`, ...): its items and list metadata.
public struct ObjectList: JSONView {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    public var metadata: ListMeta { view("metadata") }
    /// The objects, untyped: the caller knows their kind.
    public var items: [JSONValue] { json["items"]?.arrayValue ?? [] }
}

/// meta/v1 ListMeta.
public struct ListMeta: JSONView {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    /// The revision the list was read at, to watch from; nil when absent.
    public var resourceVersion: String? { string("resourceVersion") }
    /// The token for the next page; nil or "" on the last one.
    public var `continue`: String? { string("continue") }
    public var remainingItemCount: Int64? { int("remainingItemCount") }
}
