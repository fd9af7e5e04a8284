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
