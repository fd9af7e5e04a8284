import Foundation

/// meta/v1 ObjectMeta as code reads it; absent strings read as "", as Go's zero values do.
public struct ObjectMeta: JSONView {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    public var name: String { string("name") ?? "" }
    public var generateName: String { string("generateName") ?? "" }
    public var namespace: String { string("namespace") ?? "" }
    public var uid: String { string("uid") ?? "" }
    public var resourceVersion: String { string("resourceVersion") ?? "" }
    public var generation: Int64 { int("generation") ?? 0 }
    public var labels: [String: String] { stringMap("labels") }
    /// The labels as written, to compare two versions without building dictionaries.
    public var labelsValue: JSONValue? { json["labels"] }
    public var annotations: [String: String] { stringMap("annotations") }
    /// The annotations as written, for code that copies them into another object.
    public var annotationsValue: JSONValue? { json["annotations"] }
    public var finalizers: [String] { strings("finalizers") }
    public var creationTimestamp: Date? { time("creationTimestamp") }
    /// Set once deletion has begun (graceful deletion or finalizers pending).
    public var deletionTimestamp: Date? { time("deletionTimestamp") }
    public var isDeleting: Bool { json["deletionTimestamp"] != nil }
    public var deletionGracePeriodSeconds: Int64? { int("deletionGracePeriodSeconds") }
    public var ownerReferences: [OwnerReference] { views("ownerReferences") }
    /// As written, for `ManagedFieldsEntry.decode`.
    public var managedFields: JSONValue? { json["managedFields"] }
    /// The owner reference with `controller: true`, if any.
    public var controllerRef: OwnerReference? { ownerReferences.first { $0.controller } }
}

/// meta/v1 OwnerReference.
public struct OwnerReference: JSONView, Equatable {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    public var apiVersion: String { string("apiVersion") ?? "" }
    public var kind: String { string("kind") ?? "" }
    public var name: String { string("name") ?? "" }
    public var uid: String { string("uid") ?? "" }
    public var controller: Bool { bool("controller") ?? false }
    public var blockOwnerDeletion: Bool { bool("blockOwnerDeletion") ?? false }
}

extension JSONValue {
    /// The metadata of an object of any kind, for code generic over kinds (garbage collection,
    /// owner references).
    public var metadata: ObjectMeta { ObjectMeta(self["metadata"] ?? .emptyObject) }
}
