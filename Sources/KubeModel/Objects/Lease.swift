import Foundation

/// coordination.k8s.io/v1 Lease: a node's heartbeat, or a leader's claim.
public struct Lease: KubeObject {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    public var spec: Spec { view("spec") }

    public struct Spec: JSONView {
        public let json: JSONValue
        public init(_ json: JSONValue) { self.json = json }

        public var holderIdentity: String? { string("holderIdentity") }
        public var leaseDurationSeconds: Int64? { int("leaseDurationSeconds") }
        public var acquireTime: Date? { time("acquireTime") }
        public var renewTime: Date? { time("renewTime") }
    }
}
