import Foundation
import KubeModel

/// The `subsets` of a Service's core/v1 Endpoints (`pkg/controller/endpoint` with
/// `pkg/api/v1/endpoints.RepackSubsets`): one address per pod and port, then addresses that
/// serve the same ports with the same readiness gathered into one subset, ready ones under
/// `addresses` and the others under `notReadyAddresses`; at most 1000 addresses.
enum EndpointSubsets {
    /// `maxCapacity`: beyond it the object is truncated and annotated.
    static let maxCapacity = 1000
    static let overCapacityAnnotation = "endpoints.kubernetes.io/over-capacity"

    /// One address serving one port (nil: a headless Service without ports).
    struct Entry {
        var address: JSONValue
        var port: JSONValue?
        var ready: Bool
    }

    /// The entries of `service` over its selected `pods`.
    static func entries(service: JSONValue, pods: [JSONValue]) -> [Entry] {
        let spec = Service(service).spec
        let publish = spec.publishNotReadyAddresses
        let family = PodEndpoints.addressTypes(service).first ?? "IPv4"
        var out: [Entry] = []
        for pod in pods {
            // Endpoints never lists a terminating pod unless not-ready addresses are published.
            guard PodEndpoints.shouldBeListed(pod, includeTerminating: publish), let ip = PodEndpoints.address(pod, type: family) else { continue }
            var address: JSONValue = ["ip": .string(ip), "targetRef": PodEndpoints.targetRef(pod)]
            if let node = Pod(pod).spec.nodeName, !node.isEmpty { address["nodeName"] = .string(node) }
            if let h = PodEndpoints.hostname(pod, service) { address["hostname"] = .string(h) }
            let ready = publish || PodConditions.isReady(pod)
            if spec.ports.isEmpty {
                // A headless Service may have no ports; any other then has no endpoints.
                if spec.clusterIP == "None" { out.append(Entry(address: address, port: nil, ready: ready)) }
                continue
            }
            for sp in spec.ports {
                guard let number = PodEndpoints.findPort(pod, sp) else { continue }
                var port: JSONValue = ["port": .int(number), "protocol": .string(sp.protocol)]
                if let name = sp.name, !name.isEmpty { port["name"] = .string(name) }
                if let ap = sp.appProtocol { port["appProtocol"] = .string(ap) }
                out.append(Entry(address: address, port: port, ready: ready))
            }
        }
        return out
    }

    /// `RepackSubsets`: the ports each address serves, then the addresses of each port set.
    static func repack(_ entries: [Entry]) -> [JSONValue] {
        // Port (or the no-port sentinel) → address key → (address, ready); ready wins.
        var byPort: [JSONValue: [String: (address: JSONValue, ready: Bool)]] = [:]
        for e in entries {
            let key = addressKey(e.address)
            let port = e.port ?? .null
            let was = byPort[port]?[key]
            if was == nil || was?.ready == false { byPort[port, default: [:]][key] = (e.address, e.ready) }
        }
        // Address set (with readiness) → the ports offered by exactly those addresses.
        var portsBySet: [String: [JSONValue]] = [:], setByKey: [String: [(address: JSONValue, ready: Bool)]] = [:]
        for (port, addrs) in byPort {
            let setKey = addrs.map { "\($0.key)|\($0.value.ready)" }.sorted().joined(separator: ",")
            setByKey[setKey] = Array(addrs.values)
            if port != .null { portsBySet[setKey, default: []].append(port) } else if portsBySet[setKey] == nil { portsBySet[setKey] = [] }
        }
        var subsets: [JSONValue] = []
        for (setKey, ports) in portsBySet {
            let addrs = setByKey[setKey] ?? []
            var subset: JSONValue = .emptyObject
            let ready = addrs.filter(\.ready).map(\.address).sorted(by: addressLess)
            let notReady = addrs.filter { !$0.ready }.map(\.address).sorted(by: addressLess)
            if !ready.isEmpty { subset["addresses"] = .array(ready) }
            if !notReady.isEmpty { subset["notReadyAddresses"] = .array(notReady) }
            if !ports.isEmpty { subset["ports"] = .array(ports.sorted(by: portLess)) }
            subsets.append(subset)
        }
        // Kubernetes orders subsets by a hash; any fixed order serves, so the first address decides.
        return subsets.sorted { subsetKey($0) < subsetKey($1) }
    }

    /// `truncateEndpoints`: over capacity, not-ready addresses go first; if the ready ones alone
    /// exceed it, each subset keeps its share of them, rounded up. True when it truncated.
    static func truncate(_ subsets: inout [JSONValue]) -> Bool {
        func count(_ s: JSONValue, _ field: String) -> Int { s[field]?.arrayValue?.count ?? 0 }
        let totalReady = subsets.reduce(0) { $0 + count($1, "addresses") }
        let totalNotReady = subsets.reduce(0) { $0 + count($1, "notReadyAddresses") }
        guard totalReady + totalNotReady > maxCapacity else { return false }
        let truncateReady = totalReady > maxCapacity
        let max = truncateReady ? maxCapacity : maxCapacity - totalReady
        let total = truncateReady ? totalReady : totalNotReady
        let field = truncateReady ? "addresses" : "notReadyAddresses"
        var canBeAdded = max
        for i in subsets.indices {
            let inSubset = count(subsets[i], field)
            let share = min(Int((Double(inSubset) / Double(total) * Double(max)).rounded(.up)), canBeAdded)
            let kept = Array((subsets[i][field]?.arrayValue ?? []).prefix(share))
            subsets[i][field] = kept.isEmpty ? nil : .array(kept)
            if truncateReady { subsets[i]["notReadyAddresses"] = nil }
            canBeAdded -= kept.count
        }
        return true
    }

    /// `capacityAnnotationSetCorrectly`.
    static func capacityAnnotationCorrect(_ annotations: [String: String], _ subsets: [JSONValue]) -> Bool {
        let n = subsets.reduce(0) { $0 + ($1["addresses"]?.arrayValue?.count ?? 0) + ($1["notReadyAddresses"]?.arrayValue?.count ?? 0) }
        if n > maxCapacity { return false }
        let set = annotations[overCapacityAnnotation] != nil
        return (set && n == maxCapacity) || (!set && n < maxCapacity)
    }

    /// Subsets equal but for the targetRefs' resourceVersions (`endpointSubsetsEqualIgnoreResourceVersion`).
    static func equalIgnoringVersions(_ a: [JSONValue], _ b: [JSONValue]) -> Bool {
        func strip(_ s: JSONValue) -> JSONValue {
            var s = s
            for field in ["addresses", "notReadyAddresses"] {
                guard let addrs = s[field]?.arrayValue else { continue }
                s[field] = .array(addrs.map { a in
                    var a = a
                    a.set(["targetRef", "resourceVersion"], nil)
                    return a
                })
            }
            return s
        }
        return a.map(strip) == b.map(strip)
    }

    private static func addressKey(_ a: JSONValue) -> String {
        (a["ip"]?.stringValue ?? "") + "/" + (targetUID(a))
    }

    /// `addrsByIPAndUID`: by the IP's bytes, then the pod's uid.
    private static func addressLess(_ x: JSONValue, _ y: JSONValue) -> Bool {
        let a = ipBytes(x["ip"]?.stringValue ?? ""), b = ipBytes(y["ip"]?.stringValue ?? "")
        if a != b { return a.lexicographicallyPrecedes(b) }
        return targetUID(x) < targetUID(y)
    }

    private static func targetUID(_ address: JSONValue) -> String {
        address["targetRef"].flatMap { ObjectReference($0).uid } ?? ""
    }

    /// IPv4 octets as numbers; other forms compare as their text.
    private static func ipBytes(_ ip: String) -> [Int] {
        let parts = ip.split(separator: ".").compactMap { Int($0) }
        return parts.count == 4 ? parts : ip.unicodeScalars.map { Int($0.value) + 256 }
    }

    private static func portLess(_ x: JSONValue, _ y: JSONValue) -> Bool {
        let a = (x["name"]?.stringValue ?? "", x["port"]?.intValue ?? 0), b = (y["name"]?.stringValue ?? "", y["port"]?.intValue ?? 0)
        return a < b
    }

    private static func subsetKey(_ s: JSONValue) -> String {
        let first = s["addresses"]?.arrayValue?.first ?? s["notReadyAddresses"]?.arrayValue?.first
        let port = s["ports"]?.arrayValue?.first?["port"]?.intValue ?? 0
        return ipBytes(first?["ip"]?.stringValue ?? "").map { String(format: "%04d", $0) }.joined() + "/\(port)"
    }
}
