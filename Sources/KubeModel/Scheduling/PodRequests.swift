/// What a pod asks of a node, as the scheduler and kubelet admission compute it
/// (k8s.io/component-helpers/resource): per resource, the larger of the sum over containers and
/// the largest init container, plus the pod's overhead.
public struct ResourceList: Sendable, Hashable {
    public var milliCPU: Int64 = 0
    public var memory: Int64 = 0
    public var ephemeralStorage: Int64 = 0
    /// Extended resources (`nvidia.com/gpu`, `example.com/foo`) in whole units.
    public var scalar: [String: Int64] = [:]

    public init(milliCPU: Int64 = 0, memory: Int64 = 0, ephemeralStorage: Int64 = 0, scalar: [String: Int64] = [:]) {
        self.milliCPU = milliCPU
        self.memory = memory
        self.ephemeralStorage = ephemeralStorage
        self.scalar = scalar
    }

    /// A `resources.requests` map (or a node's allocatable).
    public init(_ json: JSONValue?) {
        for (name, v) in json?.objectValue ?? [:] {
            guard let text = v.stringValue ?? v.intValue.map({ String($0) }) ?? v.doubleValue.map({ String($0) }),
                let q = Quantity(text) else { continue }
            add(name, q)
        }
    }

    /// Amounts come from objects anyone may write (`cpu: 1e20`), so every sum saturates at
    /// Int64's ends instead of trapping.
    mutating func add(_ name: String, _ q: Quantity) {
        let whole = Int64(clampingValue: q.value.rounded(.up))
        switch name {
        case "cpu": milliCPU = milliCPU.addingSaturated(q.milliValue)
        case "memory": memory = memory.addingSaturated(whole)
        case "ephemeral-storage": ephemeralStorage = ephemeralStorage.addingSaturated(whole)
        case "pods": break
        default: scalar[name] = (scalar[name] ?? 0).addingSaturated(whole)
        }
    }

    public static func + (a: ResourceList, b: ResourceList) -> ResourceList {
        var r = a
        r.milliCPU = r.milliCPU.addingSaturated(b.milliCPU)
        r.memory = r.memory.addingSaturated(b.memory)
        r.ephemeralStorage = r.ephemeralStorage.addingSaturated(b.ephemeralStorage)
        for (k, v) in b.scalar { r.scalar[k] = (r.scalar[k] ?? 0).addingSaturated(v) }
        return r
    }

    public static func - (a: ResourceList, b: ResourceList) -> ResourceList {
        var r = a
        r.milliCPU = r.milliCPU.subtractingSaturated(b.milliCPU)
        r.memory = r.memory.subtractingSaturated(b.memory)
        r.ephemeralStorage = r.ephemeralStorage.subtractingSaturated(b.ephemeralStorage)
        for (k, v) in b.scalar { r.scalar[k] = (r.scalar[k] ?? 0).subtractingSaturated(v) }
        return r
    }

    /// Each resource the larger of the two.
    public func max(_ b: ResourceList) -> ResourceList {
        var r = self
        r.milliCPU = Swift.max(milliCPU, b.milliCPU)
        r.memory = Swift.max(memory, b.memory)
        r.ephemeralStorage = Swift.max(ephemeralStorage, b.ephemeralStorage)
        for (k, v) in b.scalar { r.scalar[k] = Swift.max(r.scalar[k] ?? 0, v) }
        return r
    }

    /// The effective requests of a Pod object.
    public static func requests(ofPod pod: JSONValue) -> ResourceList { effective(pod, \.requests) }

    /// The effective limits of a Pod object, summed as its requests are.
    public static func limits(ofPod pod: JSONValue) -> ResourceList { effective(pod, \.limits) }

    /// Per resource, the larger of the containers' sum and the largest init container, plus
    /// the pod's overhead.
    static func effective(_ pod: JSONValue, _ field: KeyPath<ResourceRequirements, ResourceList>) -> ResourceList {
        let spec = Pod(pod).spec
        var sum = ResourceList()
        for c in spec.containers { sum = sum + c.resources[keyPath: field] }
        var initMax = ResourceList()
        for c in spec.initContainers { initMax = initMax.max(c.resources[keyPath: field]) }
        return sum.max(initMax) + spec.overhead
    }

    /// Requests with the scheduler's stand-ins for containers that ask for nothing (100m CPU,
    /// 200Mi memory), used only to score nodes so that such pods still spread.
    public static func nonZeroRequests(ofPod pod: JSONValue) -> ResourceList {
        var sum = ResourceList()
        for c in Pod(pod).spec.containers {
            var r = c.resources.requests
            let asked = c.resources.requestsMap
            if asked["cpu"] == nil { r.milliCPU = 100 }
            if asked["memory"] == nil { r.memory = 200 * 1024 * 1024 }
            sum = sum + r
        }
        return sum
    }
}
