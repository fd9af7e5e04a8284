import Foundation

/// core/v1 Pod.
public struct Pod: SpecAndStatus {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    /// core/v1 PodSpec.
    public struct Spec: JSONView {
        public let json: JSONValue
        public init(_ json: JSONValue) { self.json = json }

        /// nil until the pod is bound.
        public var nodeName: String? { string("nodeName") }
        public var isBound: Bool { !(nodeName ?? "").isEmpty }
        public var schedulerName: String? { string("schedulerName") }
        public var priority: Int64? { int("priority") }
        public var preemptionPolicy: String? { string("preemptionPolicy") }
        public var nodeSelector: [String: String] { stringMap("nodeSelector") }
        public var affinity: Affinity { view("affinity") }
        public var tolerations: [Toleration] { (json["tolerations"]?.arrayValue ?? []).map(Toleration.init) }
        public var topologySpreadConstraints: [TopologySpreadConstraint] { views("topologySpreadConstraints") }
        public var containers: [Container] { views("containers") }
        public var initContainers: [Container] { views("initContainers") }
        /// The resources the pod's sandbox takes beyond its containers' requests.
        public var overhead: ResourceList { ResourceList(json["overhead"]) }
        /// Pod-level requests and limits (the PodLevelResources feature); empty when unset.
        public var resources: ResourceRequirements { view("resources") }
        public var restartPolicy: String? { string("restartPolicy") }
        public var terminationGracePeriodSeconds: Int64? { int("terminationGracePeriodSeconds") }
        public var serviceAccountName: String? { string("serviceAccountName") }
        public var hostNetwork: Bool { bool("hostNetwork") ?? false }
        public var volumes: [Volume] { views("volumes") }
        /// With `subdomain`, the pod's DNS name under a headless Service of that name.
        public var hostname: String? { string("hostname") }
        public var subdomain: String? { string("subdomain") }
        /// Whether Services of the namespace become environment variables; defaults to true.
        public var enableServiceLinks: Bool { bool("enableServiceLinks") ?? true }
        /// `ClusterFirst` (the default), `ClusterFirstWithHostNet`, `Default` or `None`.
        public var dnsPolicy: String { string("dnsPolicy") ?? "ClusterFirst" }
    }

    /// core/v1 PodStatus.
    public struct Status: JSONView {
        public let json: JSONValue
        public init(_ json: JSONValue) { self.json = json }

        /// nil before anyone reported a phase; `PodConditions.phase` reads that as Pending.
        public var phase: String? { string("phase") }
        public var conditions: [Condition] { views("conditions") }
        public var podIP: String? { string("podIP") }
        public var hostIP: String? { string("hostIP") }
        public var podIPs: [String] { (json["podIPs"]?.arrayValue ?? []).compactMap { $0["ip"]?.stringValue } }
        public var startTime: Date? { time("startTime") }
        public var qosClass: String? { string("qosClass") }
        public var reason: String? { string("reason") }
        public var message: String? { string("message") }
        public var nominatedNodeName: String? { string("nominatedNodeName") }
        public var containerStatuses: [ContainerStatus] { views("containerStatuses") }
        public var initContainerStatuses: [ContainerStatus] { views("initContainerStatuses") }
    }
}

/// core/v1 PodTemplateSpec, as Deployments and ReplicaSets hold it.
public struct PodTemplateSpec: JSONView {
    public let json: JSONValue
    public init(_ json: JSONValue) { self.json = json }

    public var metadata: ObjectMeta { view("metadata") }
    public var spec: Pod.Spec { view("spec") }
}
