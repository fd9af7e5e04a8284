/// apps/v1 Deployment.
public struct Deployment: SpecAndStatus {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    /// apps/v1 DeploymentSpec, with the defaults the controllers apply where a field is absent.
    public struct Spec: JSONView {
        public let json: JSONValue
        public init(_ json: JSONValue) { self.json = json }

        /// nil when absent; the API server defaults it to 1, and the controllers read it so.
        public var replicas: Int64? { int("replicas") }
        /// The selector as written, for `LabelSelector.from`.
        public var selector: JSONValue? { json["selector"] }
        public var template: PodTemplateSpec { view("template") }
        public var strategy: DeploymentStrategy { view("strategy") }
        public var minReadySeconds: Int64 { int("minReadySeconds") ?? 0 }
        public var paused: Bool { bool("paused") ?? false }
        /// nil keeps every old ReplicaSet.
        public var revisionHistoryLimit: Int64? { int("revisionHistoryLimit") }
        /// nil: no deadline.
        public var progressDeadlineSeconds: Int64? { int("progressDeadlineSeconds") }
    }

    /// apps/v1 DeploymentStatus.
    public struct Status: JSONView {
        public let json: JSONValue
        public init(_ json: JSONValue) { self.json = json }

        public var observedGeneration: Int64 { int("observedGeneration") ?? 0 }
        public var replicas: Int64 { int("replicas") ?? 0 }
        public var updatedReplicas: Int64 { int("updatedReplicas") ?? 0 }
        public var readyReplicas: Int64 { int("readyReplicas") ?? 0 }
        public var availableReplicas: Int64 { int("availableReplicas") ?? 0 }
        public var unavailableReplicas: Int64 { int("unavailableReplicas") ?? 0 }
        public var collisionCount: Int64? { int("collisionCount") }
        public var conditions: [Condition] { views("conditions") }
    }
}

/// apps/v1 DeploymentStrategy.
public struct DeploymentStrategy: JSONView {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    /// `RollingUpdate` (the default) or `Recreate`.
    public var type: String { string("type") ?? "RollingUpdate" }
    /// nil when absent (a Recreate strategy, or defaults not yet applied).
    public var rollingUpdate: RollingUpdate? { json["rollingUpdate"].map(RollingUpdate.init) }

    /// apps/v1 RollingUpdateDeployment: each nil where absent or not an int or percent.
    public struct RollingUpdate: JSONView {
        public let json: JSONValue
        public init(_ json: JSONValue) { self.json = json }

        public var maxSurge: IntOrPercent? { json["maxSurge"].flatMap(IntOrPercent.parse) }
        public var maxUnavailable: IntOrPercent? { json["maxUnavailable"].flatMap(IntOrPercent.parse) }
    }
}

extension IntOrPercent: CustomStringConvertible {
    /// As written: `2` or `25%`.
    public var description: String {
        switch self {
        case .int(let i): return String(i)
        case .percent(let p): return "\(p)%"
        }
    }
}
