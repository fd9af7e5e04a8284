/// The parts of `status` that kinds share (conditions, observedGeneration), for code generic
/// over kinds such as `kubectl wait --for=condition=...`.
public struct ObjectStatus: JSONView {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    public var conditions: [Condition] { views("conditions") }
    /// nil for kinds (or objects) that do not report one.
    public var observedGeneration: Int64? { int("observedGeneration") }
}

extension JSONValue {
    /// The status of an object of any kind.
    public var objectStatus: ObjectStatus { ObjectStatus(self["status"] ?? .emptyObject) }
}
