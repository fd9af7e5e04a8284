import KubeModel

/// Identifies a stored object: the resource's storage key ("deployments.apps"), namespace, name.
public struct ObjectKey: Sendable, Hashable, CustomStringConvertible {
    public let resource: String
    public let namespace: String
    public let name: String

    public init(resource: String, namespace: String, name: String) {
        self.resource = resource
        self.namespace = namespace
        self.name = name
    }

    var path: String { namespace.isEmpty ? name : "\(namespace)/\(name)" }
    public var description: String { "\(resource)/\(path)" }
}

/// An object as stored: its JSON value, revision, and serialized form (computed once per write,
/// so reads and watch events of unconverted objects cost no serialization).
public struct StoredObject: Sendable {
    public let rv: Int64
    public let value: JSONValue
    public let bytes: [UInt8]
}

/// A change to one object, as the change log and watches carry it. A class: one committed event
/// sits in the buffers of every watcher of its resource, and each holds only a reference.
public final class WatchEvent: Sendable {
    public enum EventType: String, Sendable { case added = "ADDED", modified = "MODIFIED", deleted = "DELETED" }
    public let type: EventType
    public let rv: Int64
    public let key: ObjectKey
    public let object: JSONValue
    public let bytes: [UInt8]
    /// The previous state, so selector watches can turn "stopped matching" into DELETED.
    public let old: JSONValue?

    public init(type: EventType, rv: Int64, key: ObjectKey, object: JSONValue, bytes: [UInt8], old: JSONValue?) {
        self.type = type
        self.rv = rv
        self.key = key
        self.object = object
        self.bytes = bytes
        self.old = old
    }
}

/// What a write does to its key.
enum Mutation: Sendable {
    case put(JSONValue)
    case delete
}
