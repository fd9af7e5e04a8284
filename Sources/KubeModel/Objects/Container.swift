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
    /// The entrypoint; empty: the image's.
    public var command: [String] { strings("command") }
    public var args: [String] { strings("args") }
    public var env: [EnvVar] { views("env") }
    public var envFrom: [EnvFromSource] { views("envFrom") }
    public var volumeMounts: [VolumeMount] { views("volumeMounts") }
    /// "" when absent: the image's.
    public var workingDir: String { string("workingDir") ?? "" }
    /// `Always`, `IfNotPresent` or `Never` (defaulted by the API server).
    public var imagePullPolicy: String? { string("imagePullPolicy") }
    public var lifecycle: Lifecycle { view("lifecycle") }
    /// The runtime keeps the container's standard input open for `kubectl attach -i`.
    public var stdin: Bool { bool("stdin") ?? false }
    /// Its standard input closes once the first attached client detaches.
    public var stdinOnce: Bool { bool("stdinOnce") ?? false }
    /// The container's process gets a terminal for its standard streams.
    public var tty: Bool { bool("tty") ?? false }
    /// Only on init containers: `Always` makes one a sidecar that runs beside the app.
    public var restartPolicy: String? { string("restartPolicy") }
}

/// core/v1 Lifecycle: the hooks run around a container's start and stop.
public struct Lifecycle: JSONView {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    /// A LifecycleHandler has the shape of a probe's handler (`exec`, `httpGet`, `tcpSocket`).
    public var preStop: Probe? { json["preStop"].map(Probe.init) }
    public var postStart: Probe? { json["postStart"].map(Probe.init) }
}

/// core/v1 VolumeMount.
public struct VolumeMount: JSONView {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    public var name: String { string("name") ?? "" }
    public var mountPath: String { string("mountPath") ?? "" }
    public var readOnly: Bool { bool("readOnly") ?? false }
    public var subPath: String? { string("subPath") }
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
    /// Each quantity as written, by resource name.
    public var requestQuantities: ResourceQuantities { view("requests") }
    public var limitQuantities: ResourceQuantities { view("limits") }
}

/// core/v1 Probe: its handler (one of `httpGet`, `tcpSocket`, `exec`, `grpc`) and timing.
public struct Probe: JSONView {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    public var httpGet: HTTPGetAction? { json["httpGet"].map(HTTPGetAction.init) }
    /// A lifecycle handler's `sleep.seconds`.
    public var sleepSeconds: Int64? { json["sleep"]?["seconds"]?.intValue }
    public var tcpSocket: TCPSocketAction? { json["tcpSocket"].map(TCPSocketAction.init) }
    /// The `exec` action's command; nil when the probe is not an exec.
    public var execCommand: [String]? { json["exec"].map { ($0["command"]?.arrayValue ?? []).compactMap(\.stringValue) } }

    public var initialDelaySeconds: Int64? { int("initialDelaySeconds") }
    public var periodSeconds: Int64? { int("periodSeconds") }
    public var timeoutSeconds: Int64? { int("timeoutSeconds") }
    public var failureThreshold: Int64? { int("failureThreshold") }
    public var successThreshold: Int64? { int("successThreshold") }
    /// A liveness or startup probe's own grace period for the restart it causes.
    public var terminationGracePeriodSeconds: Int64? { int("terminationGracePeriodSeconds") }
}

/// core/v1 HTTPGetAction.
public struct HTTPGetAction: JSONView {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    /// `HTTP` (the default) or `HTTPS`.
    public var scheme: String { string("scheme") ?? "HTTP" }
    /// "" when absent: the pod's IP.
    public var host: String { string("host") ?? "" }
    public var port: IntOrString? { json["port"].flatMap(IntOrString.init) }
    public var path: String { string("path") ?? "" }
    public var httpHeaders: [(name: String, value: String)] {
        (json["httpHeaders"]?.arrayValue ?? []).map { ($0["name"]?.stringValue ?? "", $0["value"]?.stringValue ?? "") }
    }
}

/// core/v1 TCPSocketAction.
public struct TCPSocketAction: JSONView {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    public var host: String { string("host") ?? "" }
    public var port: IntOrString? { json["port"].flatMap(IntOrString.init) }
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
    /// nil before the node reported one.
    public var state: ContainerState? { json["state"].map(ContainerState.init) }
    public var lastState: ContainerState? { json["lastState"].map(ContainerState.init) }
}
