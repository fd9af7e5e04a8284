import Foundation
import KubeModel

/// What both endpoint controllers decide about one pod of a Service, as
/// `k8s.io/endpointslice/util` and `pkg/api/v1/pod` decide it: whether it is listed, on which
/// port, under which address and hostname.
enum PodEndpoints {
    /// `ShouldPodBeInEndpoints`: a pod that finished (Succeeded or Failed) or has no IP yet is
    /// never listed; a terminating one only when `includeTerminating`.
    static func shouldBeListed(_ pod: JSONValue, includeTerminating: Bool) -> Bool {
        let phase = PodConditions.phase(pod)
        if phase == "Succeeded" || phase == "Failed" { return false }
        let status = Pod(pod).status
        if (status.podIP ?? "").isEmpty && status.podIPs.isEmpty { return false }
        return includeTerminating || !pod.isDeleting
    }

    /// `podutil.FindPort`: a numeric target port as it is; a named one looked up among the
    /// containers' ports (then restartable init containers') of the same protocol. nil: "no
    /// suitable port", and the pod is not an endpoint of that Service port.
    static func findPort(_ pod: JSONValue, _ port: ServicePort) -> Int64? {
        switch port.targetPort {
        case nil: return port.port
        case .int(let n): return n
        case .string(let name):
            let spec = Pod(pod).spec
            let sidecars = spec.initContainers.filter { $0.restartPolicy == "Always" }
            for c in spec.containers + sidecars {
                if let p = c.ports.first(where: { $0.name == name && ($0.protocol ?? "TCP") == port.protocol }) { return p.containerPort }
            }
            return nil
        }
    }

    /// `ShouldSetHostname`: a pod with a hostname in the subdomain named after the Service.
    static func hostname(_ pod: JSONValue, _ service: JSONValue) -> String? {
        let spec = Pod(pod).spec
        guard let h = spec.hostname, !h.isEmpty, spec.subdomain == service.metaName, pod.metaNamespace == service.metaNamespace else { return nil }
        return h
    }

    /// The pod's address of an address type (`IPv4` or `IPv6`), from `podIPs` or else `podIP`.
    static func address(_ pod: JSONValue, type: String) -> String? {
        let status = Pod(pod).status
        let ips = status.podIPs.isEmpty ? [status.podIP ?? ""] : status.podIPs
        return ips.first { !$0.isEmpty && addressType(of: $0) == type }
    }

    static func addressType(of ip: String) -> String { ip.contains(":") ? "IPv6" : "IPv4" }

    /// `getAddressTypesForService`: the Service's IP families, else its ClusterIP's family, else
    /// (a headless Service without families) both.
    static func addressTypes(_ service: JSONValue) -> [String] {
        let spec = Service(service).spec
        if let families = spec.ipFamilies, !families.isEmpty { return families }
        if let ip = spec.clusterIP, !ip.isEmpty, ip != "None" { return [addressType(of: ip)] }
        return ["IPv4", "IPv6"]
    }

    /// `targetRef` of a pod's endpoint.
    static func targetRef(_ pod: JSONValue) -> JSONValue {
        ["kind": "Pod", "namespace": .string(pod.metaNamespace), "name": .string(pod.metaName), "uid": .string(pod.uid)]
    }

    /// Whether a pod update can change what either controller writes for it (client-go's
    /// `podEndpointsChanged` and the label check beside it): anything else is ignored, so the
    /// status heartbeats of a large fleet do not resync its Services.
    static func changed(_ old: JSONValue, _ new: JSONValue) -> Bool {
        if old.metaLabels != new.metaLabels || old.isDeleting != new.isDeleting { return true }
        if PodConditions.isReady(old) != PodConditions.isReady(new) || PodConditions.phase(old) != PodConditions.phase(new) { return true }
        let o = Pod(old), n = Pod(new)
        return o.status.podIP != n.status.podIP || o.status.podIPs != n.status.podIPs || o.spec.nodeName != n.spec.nodeName
            || o.spec.hostname != n.spec.hostname || o.spec.subdomain != n.spec.subdomain
            || o.spec.json["containers"] != n.spec.json["containers"]
            || readyTransition(old) != readyTransition(new)
    }

    /// When the pod's Ready condition last changed: the trigger time of an endpoints change.
    static func readyTransition(_ pod: JSONValue) -> Date? { Pod(pod).status.conditions[type: "Ready"]?.lastTransitionTime }
}
