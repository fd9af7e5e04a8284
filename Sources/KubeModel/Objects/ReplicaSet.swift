/// apps/v1 ReplicaSet.
public struct ReplicaSet: SpecAndStatus {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    /// apps/v1 ReplicaSetSpec, with the defaults the controllers apply where a field is absent.
    public struct Spec: JSONView {
        public let json: JSONValue
        public init(_ json: JSONValue) { self.json = json }

        /// nil when absent; the API server defaults it to 1, and the controllers read it so.
        public var replicas: Int64? { int("replicas") }
        /// The selector as written, for `LabelSelector.from`.
        public var selector: JSONValue? { json["selector"] }
        public var template: PodTemplateSpec { view("template") }
        public var minReadySeconds: Int64 { int("minReadySeconds") ?? 0 }
    }

    /// apps/v1 ReplicaSetStatus.
    public struct Status: JSONView {
        public let json: JSONValue
        public init(_ json: JSONValue) { self.json = json }

        public var replicas: Int64 { int("replicas") ?? 0 }
        public var fullyLabeledReplicas: Int64 { int("fullyLabeledReplicas") ?? 0 }
        public var readyReplicas: Int64 { int("readyReplicas") ?? 0 }
        public var availableReplicas: Int64 { int("availableReplicas") ?? 0 }
        public var observedGeneration: Int64 { int("observedGeneration") ?? 0 }
        public var conditions: [Condition] { views("conditions") }
    }
}
