/// core/v1 Container.
public struct Container: JSONView {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    public var name: String { string("name") ?? "" }
    public var image: String { string("image") ?? "" }
    public var ports: [ContainerPort] { views("ports") }
    public var resources: ResourceRequirements { view("resources") }
    public var readinessProbe: Probe? { json["readinessProbe"].map(Probe.init) }
    public var livenessProbe: Probe? { json["livenessProbe"].map(Probe.init) }
    public var startupProbe: Probe? { json["startupProbe"].map(Probe.init) }
}

/// core/v1 ContainerPort.
public struct ContainerPort: JSONView {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    public var name: String? { string("name") }
    public var containerPort: Int64 { int("containerPort") ?? 0 }
    /// nil or 0 when the port is not exposed on the host.
    public var hostPort: Int64? { int("hostPort") }
    public var hostIP: String? { string("hostIP") }
    /// The protocol as written; Kubernetes defaults it to TCP.
    public var `protocol`: String? { string("protocol") }
}

/// core/v1 ResourceRequirements.
public struct ResourceRequirements: JSONView {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    /// The raw maps, for code that must tell an absent resource from a zero one.
    public var requestsMap: [String: JSONValue] { json["requests"]?.objectValue ?? [:] }
    public var limitsMap: [String: JSONValue] { json["limits"]?.objectValue ?? [:] }
    public var requests: ResourceList { ResourceList(json["requests"]) }
    public var limits: ResourceList { ResourceList(json["limits"]) }
}

/// core/v1 Probe (the timing fields; the handler stays JSON for the node that runs it).
public struct Probe: JSONView {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    public var initialDelaySeconds: Int64? { int("initialDelaySeconds") }
    public var periodSeconds: Int64? { int("periodSeconds") }
    public var timeoutSeconds: Int64? { int("timeoutSeconds") }
    public var failureThreshold: Int64? { int("failureThreshold") }
    public var successThreshold: Int64? { int("successThreshold") }
}

/// core/v1 ContainerStatus.
public struct ContainerStatus: JSONView {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    public var name: String { string("name") ?? "" }
    public var image: String { string("image") ?? "" }
    public var imageID: String { string("imageID") ?? "" }
    public var containerID: String? { string("containerID") }
    public var ready: Bool { bool("ready") ?? false }
    public var started: Bool? { bool("started") }
    public var restartCount: Int64 { int("restartCount") ?? 0 }
    /// `{running: …}`, `{waiting: …}` or `{terminated: …}`.
    public var state: JSONValue? { json["state"] }
    public var lastState: JSONValue? { json["lastState"] }
}
