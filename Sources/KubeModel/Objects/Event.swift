import Foundation

/// core/v1 Event, as `describe` lists them: either the old-style fields (`source`,
/// `firstTimestamp`, `lastTimestamp`, `count`) or the events.k8s.io-style ones (`eventTime`,
/// `reportingComponent`), which the same object may carry.
public struct Event: KubeObject {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    public var involvedObject: ObjectReference { view("involvedObject") }
    public var reason: String? { string("reason") }
    public var message: String? { string("message") }
    /// `Normal` or `Warning`.
    public var type: String? { string("type") }
    public var count: Int64? { int("count") }
    public var firstTimestamp: Date? { time("firstTimestamp") }
    public var lastTimestamp: Date? { time("lastTimestamp") }
    public var eventTime: Date? { time("eventTime") }
    public var source: EventSource { view("source") }
    public var reportingComponent: String? { string("reportingComponent") }
    public var reportingInstance: String? { string("reportingInstance") }
}

/// core/v1 EventSource.
public struct EventSource: JSONView {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    public var component: String? { string("component") }
    public var host: String? { string("host") }
}

/// core/v1 ObjectReference: an Event's object, a Binding's target.
public struct ObjectReference: JSONView {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    public var apiVersion: String? { string("apiVersion") }
    public var kind: String? { string("kind") }
    public var namespace: String? { string("namespace") }
    public var name: String? { string("name") }
    public var uid: String? { string("uid") }
    public var fieldPath: String? { string("fieldPath") }
}
