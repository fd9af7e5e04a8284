import Foundation

/// core/v1 ContainerState: one of running, terminated or waiting is set.
public struct ContainerState: JSONView {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    public var running: Running? { json["running"].map(Running.init) }
    public var terminated: Terminated? { json["terminated"].map(Terminated.init) }
    public var waiting: Waiting? { json["waiting"].map(Waiting.init) }

    /// core/v1 ContainerStateRunning.
    public struct Running: JSONView {
        public let json: JSONValue
        public init(_ json: JSONValue) { self.json = json }

        public var startedAt: Date? { time("startedAt") }
    }

    /// core/v1 ContainerStateTerminated.
    public struct Terminated: JSONView {
        public let json: JSONValue
        public init(_ json: JSONValue) { self.json = json }

        public var exitCode: Int64 { int("exitCode") ?? 0 }
        public var signal: Int64? { int("signal") }
        public var reason: String? { string("reason") }
        public var message: String? { string("message") }
        public var startedAt: Date? { time("startedAt") }
        public var finishedAt: Date? { time("finishedAt") }
        public var containerID: String? { string("containerID") }
    }

    /// core/v1 ContainerStateWaiting.
    public struct Waiting: JSONView {
        public let json: JSONValue
        public init(_ json: JSONValue) { self.json = json }

        public var reason: String? { string("reason") }
        public var message: String? { string("message") }
    }
}
