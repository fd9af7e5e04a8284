/// autoscaling/v1 Scale: the `/scale` subresource of a Deployment or ReplicaSet.
public struct Scale: SpecAndStatus {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    public struct Spec: JSONView {
        public let json: JSONValue
        public init(_ json: JSONValue) { self.json = json }

        /// 0 when absent, as Go's zero value.
        public var replicas: Int64 { int("replicas") ?? 0 }
    }

    public struct Status: JSONView {
        public let json: JSONValue
        public init(_ json: JSONValue) { self.json = json }

        public var replicas: Int64 { int("replicas") ?? 0 }
        /// The label selector of the pods, in its string form (`app=web`).
        public var selector: String? { string("selector") }
    }
}
