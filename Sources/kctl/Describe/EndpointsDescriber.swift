import KubeModel

extension Describers {
    /// kubectl's `describeEndpoints`: each subset's ready and not-ready IPs and its ports.
    func endpointsObject(_ o: JSONValue, _ w: inout DescribeWriter) async throws {
        w.meta(o)
        w.write(0, "Subsets:")
        for subset in o["subsets"]?.arrayValue ?? [] {
            func ips(_ field: String) -> String {
                let list = (subset[field]?.arrayValue ?? []).compactMap { $0["ip"]?.stringValue }
                return list.isEmpty ? "<none>" : list.joined(separator: ",")
            }
            w.write(1, "Addresses:\t\(ips("addresses"))")
            w.write(1, "NotReadyAddresses:\t\(ips("notReadyAddresses"))")
            let ports = subset["ports"]?.arrayValue ?? []
            if !ports.isEmpty {
                w.write(1, "Ports:")
                w.write(2, "Name\tPort\tProtocol")
                w.write(2, "----\t----\t--------")
                for p in ports.map(EndpointPort.init) {
                    let name = p.name ?? ""
                    w.write(2, "\(name.isEmpty ? "<unset>" : name)\t\(p.port ?? 0)\t\(p.protocol ?? "")")
                }
            }
            w.write(0, "")
        }
        w.events(try await events(o))
    }
}

extension Describers {
    /// kubectl's `describeEndpointSliceV1`: ports, then each endpoint's addresses, readiness,
    /// hostname, pod, node and zone (`<unset>` for what is absent).
    func endpointSlice(_ o: JSONValue, _ w: inout DescribeWriter) async throws {
        let slice = EndpointSlice(o)
        w.meta(o)
        w.write(0, "AddressType:\t\(slice.addressType ?? "")")
        if slice.ports.isEmpty {
            w.write(0, "Ports: <unset>")
        } else {
            w.write(0, "Ports:")
            w.write(1, "Name\tPort\tProtocol")
            w.write(1, "----\t----\t--------")
            for p in slice.ports {
                let name = p.name ?? ""
                w.write(1, "\(name.isEmpty ? "<unset>" : name)\t\(p.port.map(String.init) ?? "<unset>")\t\(p.protocol ?? "")")
            }
        }
        if slice.endpoints.isEmpty {
            w.write(0, "Endpoints: <none>")
        } else {
            w.write(0, "Endpoints:")
            for e in slice.endpoints {
                w.write(1, "- Addresses:\t\(e.addresses.isEmpty ? "<none>" : e.addresses.joined(separator: ", "))")
                w.write(2, "Conditions:")
                w.write(3, "Ready:\t\(e.ready.map(String.init) ?? "<unset>")")
                w.write(2, "Hostname:\t\(e.hostname ?? "<unset>")")
                if let ref = e.targetRef { w.write(2, "TargetRef:\t\(ref.kind ?? "")/\(ref.name ?? "")") }
                w.write(2, "NodeName:\t\(e.nodeName ?? "<unset>")")
                w.write(2, "Zone:\t\(e.zone ?? "<unset>")")
            }
        }
        w.events(try await events(o))
    }
}
