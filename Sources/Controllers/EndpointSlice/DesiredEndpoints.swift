import Foundation
import KubeModel

/// The endpoints a Service should have, grouped by the ports their pods resolve (pods whose
/// named `targetPort` resolves differently land in different slices), as the reconciler of
/// `k8s.io/endpointslice` builds its desired sets.
struct DesiredEndpoints {
    /// One set of ports and the endpoints serving exactly those ports, in pod order.
    struct Group {
        var ports: [JSONValue]
        var endpoints: [JSONValue]
    }

    /// By `portKey(ports)`.
    var groups: [String: Group] = [:]
    /// Pods left out because their node is unknown: the sync is retried for them.
    var skipped: [String] = []

    /// Builds the desired endpoints of `addressType` for `service` over its selected `pods`;
    /// `node` finds a node by name (nil: not found).
    init(service: JSONValue, pods: [JSONValue], addressType: String, node: (String) -> JSONValue?) {
        let svc = Service(service).spec
        for pod in pods.sorted(by: { $0.metaName < $1.metaName }) {
            // Slices list terminating pods (with their conditions); Endpoints does not.
            guard PodEndpoints.shouldBeListed(pod, includeTerminating: true) else { continue }
            guard let address = PodEndpoints.address(pod, type: addressType) else { continue }
            let nodeName = Pod(pod).spec.nodeName ?? ""
            let found = nodeName.isEmpty ? nil : node(nodeName)
            if !nodeName.isEmpty, found == nil, !svc.publishNotReadyAddresses {
                skipped.append("skipping Pod \(pod.metaName) for Service \(service.metaNamespace)/\(service.metaName): Node \(nodeName) Not Found")
                continue
            }
            let ports = Self.endpointPorts(service, pod)
            let key = Self.portKey(ports)
            groups[key, default: Group(ports: ports, endpoints: [])].endpoints.append(
                Self.endpoint(pod, service: service, address: address, node: found))
        }
    }

    /// `getEndpointPorts`: each Service port the pod can serve, with the port number it resolves.
    static func endpointPorts(_ service: JSONValue, _ pod: JSONValue) -> [JSONValue] {
        Service(service).spec.ports.compactMap { sp in
            guard let number = PodEndpoints.findPort(pod, sp) else { return nil }
            var p: JSONValue = ["name": .string(sp.name ?? ""), "port": .int(number), "protocol": .string(sp.protocol)]
            if let ap = sp.appProtocol { p["appProtocol"] = .string(ap) }
            return p
        }
    }

    /// `podToEndpoint`: a terminating pod is never ready (unless the Service publishes not-ready
    /// addresses) but stays serving while its Ready condition holds.
    static func endpoint(_ pod: JSONValue, service: JSONValue, address: String, node: JSONValue?) -> JSONValue {
        let serving = PodConditions.isReady(pod), terminating = pod.isDeleting
        let ready = Service(service).spec.publishNotReadyAddresses || (serving && !terminating)
        var ep: JSONValue = [
            "addresses": [.string(address)],
            "conditions": ["ready": .bool(ready), "serving": .bool(serving), "terminating": .bool(terminating)],
            "targetRef": PodEndpoints.targetRef(pod),
        ]
        if let n = Pod(pod).spec.nodeName, !n.isEmpty { ep["nodeName"] = .string(n) }
        if let zone = node?.metaLabels["topology.kubernetes.io/zone"], !zone.isEmpty { ep["zone"] = .string(zone) }
        if let h = PodEndpoints.hostname(pod, service) { ep["hostname"] = .string(h) }
        return ep
    }

    /// Identifies a set of ports regardless of order and of how they were serialized (`NewPortMapKey`).
    static func portKey(_ ports: [JSONValue]) -> String {
        ports.map(EndpointPort.init).map { "\($0.name ?? "")/\($0.port ?? -1)/\($0.protocol ?? "TCP")/\($0.json["appProtocol"]?.stringValue ?? "")" }
            .sorted().joined(separator: ",")
    }

    /// Identifies an endpoint across syncs (`hashEndpoint`): its addresses, hostname and pod.
    static func identity(_ endpoint: JSONValue) -> String {
        let e = EndpointSlice.Endpoint(endpoint), ref = e.targetRef
        return e.addresses.sorted().joined(separator: ",") + "|" + (e.hostname ?? "") + "|" + (ref?.namespace ?? "") + "/" + (ref?.name ?? "")
    }
}
