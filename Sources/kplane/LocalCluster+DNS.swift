import Logging
import Networking

extension LocalCluster {
    /// The cluster DNS on port 53 of each process node's bridge gateway, the nameserver its
    /// kubelet writes into pods' resolv.conf; none where pods share the host's network.
    func runClusterDNS() async {
        let logger = Logger(label: "kplane.dns")
        let services = informers.informer(ClusterDNSServer.services), slices = informers.informer(ClusterDNSServer.endpointSlices)
        await withTaskGroup(of: Void.self) { group in
            for address in Set(processNodes.compactMap(\.clusterDNS)).sorted() {
                group.addTask {
                    do {
                        let server = try await ClusterDNSServer(host: address, port: 53, services: services, endpointSlices: slices)
                        logger.info("Cluster DNS answering on \(address):53 for cluster.local")
                        await server.run()
                    } catch {
                        logger.warning("Cluster DNS cannot listen on \(address):53, so pods will not resolve Service names: \(error)")
                    }
                }
            }
        }
    }
}
