import Foundation
import KubeModel

/// The writes that bring a Service's EndpointSlices of one address type to the desired
/// endpoints with the least churn, step by step as `reconcileByAddressType` and
/// `reconcileByPortMapping` of `k8s.io/endpointslice` take them: keep endpoints where they
/// are, drop the undesired, fill slices already being written before touching others, and
/// turn a delete plus a create into one update.
struct SlicePlan {
    var create: [JSONValue] = []
    var update: [JSONValue] = []
    var delete: [JSONValue] = []

    var isEmpty: Bool { create.isEmpty && update.isEmpty && delete.isEmpty }

    static let managedBy = "endpointslice-controller.k8s.io"
    static let serviceNameLabel = "kubernetes.io/service-name"
    static let managedByLabel = "endpointslice.kubernetes.io/managed-by"
    static let headlessLabel = "service.kubernetes.io/headless"

    /// No writes.
    init() {}

    init(service: JSONValue, desired: DesiredEndpoints, existing: [JSONValue], addressType: String, maxEndpointsPerSlice: Int, triggerTime: Date?) {
        var byPorts: [String: [JSONValue]] = [:]
        for slice in existing { byPorts[DesiredEndpoints.portKey(EndpointSlice(slice).json["ports"]?.arrayValue ?? []), default: []].append(slice) }
        var toCreate: [JSONValue] = [], toUpdate: [JSONValue] = [], toDelete: [JSONValue] = []
        for (key, group) in desired.groups.sorted(by: { $0.key < $1.key }) {
            let r = Self.byPortMapping(service, group, existing: byPorts[key] ?? [], addressType: addressType, max: maxEndpointsPerSlice)
            toCreate += r.create; toUpdate += r.update; toDelete += r.delete
        }
        // Slices of ports no pod serves any more go.
        for (key, slices) in byPorts where desired.groups[key] == nil { toDelete += slices }
        toDelete.sort { $0.metaName < $1.metaName }
        // A Service with no endpoints keeps one empty placeholder slice.
        if existing.count == toDelete.count && toCreate.isEmpty {
            let placeholder = Self.newSlice(service, ports: [], addressType: addressType)
            if toDelete.count == 1, Self.samePlaceholder(toDelete[0], placeholder) {
                toDelete = []
            } else {
                toCreate.append(placeholder)
            }
        }
        // Reuse a slice about to be deleted for one about to be created.
        while let doomed = toDelete.first, var fresh = toCreate.last, Self.isOwned(doomed, by: service) {
            toDelete.removeFirst()
            toCreate.removeLast()
            fresh["metadata"] = doomed["metadata"]
            fresh.set(["metadata", "labels"], Self.labels(for: service))
            toUpdate.append(fresh)
        }
        create = toCreate.map { Self.stamp($0, triggerTime) }
        update = toUpdate.map { Self.stamp($0, triggerTime) }
        delete = toDelete
    }

    /// One set of ports: the slices that carry it and the endpoints that should.
    private static func byPortMapping(_ service: JSONValue, _ group: DesiredEndpoints.Group, existing: [JSONValue], addressType: String, max: Int)
        -> (create: [JSONValue], update: [JSONValue], delete: [JSONValue])
    {
        var wanted: [String: JSONValue] = [:], order: [String] = []
        for e in group.endpoints {
            let id = DesiredEndpoints.identity(e)
            if wanted.updateValue(e, forKey: id) == nil { order.append(id) }
        }
        var toUpdate: [JSONValue] = [], unchanged: [JSONValue] = [], toDelete: [JSONValue] = []
        // 1. Keep the wanted endpoints where they are, refreshed; drop the rest.
        for slice in existing.sorted(by: { $0.metaName < $1.metaName }) {
            let current = slice["endpoints"]?.arrayValue ?? []
            var kept: [JSONValue] = [], changed = false
            for e in current {
                let id = DesiredEndpoints.identity(e)
                guard let want = wanted.removeValue(forKey: id) else { continue }
                kept.append(want)
                if !equalBeyondHash(want, e) { changed = true }
            }
            let labels = labels(for: service)
            let labelsChanged = slice.metaLabels != (labels.objectValue ?? [:]).compactMapValues(\.stringValue)
            if changed || kept.count != current.count {
                if kept.isEmpty {
                    toDelete.append(slice)
                } else {
                    var s = slice
                    s["endpoints"] = .array(kept)
                    s.set(["metadata", "labels"], labels)
                    toUpdate.append(s)
                }
            } else if labelsChanged {
                var s = slice
                s.set(["metadata", "labels"], labels)
                toUpdate.append(s)
            } else {
                unchanged.append(slice)
            }
        }
        var remaining = order.compactMap { wanted[$0] }
        // 2. Fill the slices being written anyway, fullest first.
        toUpdate.sort { count($0) > count($1) }
        for i in toUpdate.indices where !remaining.isEmpty {
            let room = max - count(toUpdate[i])
            guard room > 0 else { continue }
            toUpdate[i]["endpoints"] = .array((toUpdate[i]["endpoints"]?.arrayValue ?? []) + remaining.prefix(room))
            remaining.removeFirst(min(room, remaining.count))
        }
        // 3. Put the rest in the unchanged slice that fits them most tightly, else in new slices.
        var toCreate: [JSONValue] = []
        while !remaining.isEmpty {
            var target: JSONValue
            if remaining.count < max, let i = closestFit(unchanged, need: remaining.count, max: max) {
                target = unchanged.remove(at: i)
            } else {
                target = newSlice(service, ports: group.ports, addressType: addressType)
            }
            let room = max - count(target)
            target["endpoints"] = .array((target["endpoints"]?.arrayValue ?? []) + remaining.prefix(room))
            remaining.removeFirst(min(room, remaining.count))
            if target.metaName.isEmpty { toCreate.append(target) } else { toUpdate.append(target) }
        }
        return (toCreate, toUpdate, toDelete)
    }

    private static func count(_ slice: JSONValue) -> Int { slice["endpoints"]?.arrayValue?.count ?? 0 }

    /// `getSliceToFill`: the fullest slice that still has room for `need` endpoints.
    private static func closestFit(_ slices: [JSONValue], need: Int, max: Int) -> Int? {
        var best: Int?
        for (i, s) in slices.enumerated() where max - count(s) >= need {
            if best.map({ count(s) > count(slices[$0]) }) ?? true { best = i }
        }
        return best
    }

    /// `EndpointsEqualBeyondHash`: the fields a consumer reads, not the targetRef's version.
    static func equalBeyondHash(_ a: JSONValue, _ b: JSONValue) -> Bool {
        let x = EndpointSlice.Endpoint(a), y = EndpointSlice.Endpoint(b)
        return x.addresses.sorted() == y.addresses.sorted() && x.ready == y.ready && x.serving == y.serving && x.terminating == y.terminating
            && x.nodeName == y.nodeName && x.zone == y.zone && x.hostname == y.hostname
            && x.targetRef?.name == y.targetRef?.name && x.targetRef?.namespace == y.targetRef?.namespace && x.targetRef?.uid == y.targetRef?.uid
    }

    /// `setEndpointSliceLabels`: the Service's labels (not the reserved ones) plus the service
    /// name, the manager and, for a headless Service, the headless label.
    static func labels(for service: JSONValue) -> JSONValue {
        let reserved: Set = [serviceNameLabel, managedByLabel, headlessLabel]
        var out: [String: JSONValue] = [:]
        for (k, v) in service.metaLabels where !reserved.contains(k) { out[k] = .string(v) }
        let ip = Service(service).spec.clusterIP ?? ""
        if ip.isEmpty || ip == "None" { out[headlessLabel] = "" }
        out[serviceNameLabel] = .string(service.metaName)
        out[managedByLabel] = .string(managedBy)
        return .object(out)
    }

    /// `newEndpointSlice`: named `<service>-<random>` by the API server, owned by the Service.
    static func newSlice(_ service: JSONValue, ports: [JSONValue], addressType: String) -> JSONValue {
        let owner: JSONValue = ["apiVersion": "v1", "kind": "Service", "name": .string(service.metaName), "uid": .string(service.uid),
                                "controller": true, "blockOwnerDeletion": true]
        var slice: JSONValue = [
            "apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
            "metadata": ["generateName": .string(service.metaName + "-"), "namespace": .string(service.metaNamespace),
                         "labels": labels(for: service), "ownerReferences": [owner]],
            "addressType": .string(addressType), "endpoints": [],
        ]
        if !ports.isEmpty { slice["ports"] = .array(ports) }
        return slice
    }

    /// An existing empty slice that already is the placeholder a new one would be.
    static func samePlaceholder(_ existing: JSONValue, _ placeholder: JSONValue) -> Bool {
        (existing["endpoints"]?.arrayValue ?? []).isEmpty && (existing["ports"]?.arrayValue ?? []).isEmpty
            && existing["addressType"] == placeholder["addressType"]
            && existing.metaLabels == placeholder.metaLabels
            && ownerReferences(existing) == ownerReferences(placeholder)
    }

    private static func ownerReferences(_ object: JSONValue) -> [JSONValue] {
        ObjectMeta(object["metadata"] ?? .emptyObject).ownerReferences.map(\.json)
    }

    static func isOwned(_ slice: JSONValue, by service: JSONValue) -> Bool {
        ObjectMeta(slice["metadata"] ?? .emptyObject).ownerReferences.contains { $0.uid == service.uid }
    }

    /// Sets or clears the trigger-time annotation on a slice being written.
    private static func stamp(_ slice: JSONValue, _ triggerTime: Date?) -> JSONValue {
        var s = slice
        var annotations = s.metaAnnotations.mapValues(JSONValue.string)
        annotations[TriggerTimeTracker.annotation] = triggerTime.map { .string(TriggerTimeTracker.format($0)) }
        s.set(["metadata", "annotations"], annotations.isEmpty ? nil : .object(annotations))
        return s
    }
}
