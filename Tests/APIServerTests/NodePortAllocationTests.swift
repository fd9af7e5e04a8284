import KubeModel
import Testing
@testable import APIServer

/// NodePort and LoadBalancer Services get node ports from 30000-32767 on create, as
/// kube-apiserver's `--service-node-port-range` allocator gives them.
struct NodePortAllocationTests {

    func service(_ name: String, type: String, nodePort: Int64? = nil) -> JSONValue {
        var port: JSONValue = ["port": 80, "targetPort": 3000]
        if let nodePort { port["nodePort"] = .int(nodePort) }
        return ["metadata": ["name": .string(name)], "spec": ["type": .string(type), "selector": ["app": "web"], "ports": [port]]]
    }

    @Test func nodePortsAreAllocatedKeptAndRefusedWhenTaken() async throws {
        let api = try await newAPI()
        let np = try await api.create(services, namespace: "default", body: service("np", type: "NodePort")).object
        let port = try #require(np[path: ["spec", "ports"]]?.arrayValue?.first?["nodePort"]?.intValue)
        #expect((30000...32767).contains(port))
        let lb = try await api.create(services, namespace: "default", body: service("lb", type: "LoadBalancer")).object
        let lbPort = try #require(lb[path: ["spec", "ports"]]?.arrayValue?.first?["nodePort"]?.intValue)
        #expect(lbPort != port)
        // A ClusterIP Service gets none.
        let plain = try await api.create(services, namespace: "default", body: service("plain", type: "ClusterIP")).object
        #expect(plain[path: ["spec", "ports"]]?.arrayValue?.first?["nodePort"] == nil)
        // An update that leaves the node port out keeps it.
        let patched = try await api.patch(services, namespace: "default", name: "np", type: .strategic, patch: ["spec": ["ports": [["port": 80, "targetPort": 8080]]]]).object
        #expect(patched[path: ["spec", "ports"]]?.arrayValue?.first?["nodePort"]?.intValue == port)
        // Asking for a taken port is kube-apiserver's 422.
        let taken = await apiError { _ = try await api.create(services, namespace: "default", body: service("again", type: "NodePort", nodePort: port)) }
        #expect(taken?.code == 422)
        #expect(taken?.message == "Service \"again\" is invalid: spec.ports[0].nodePort: Invalid value: \(port): provided port is already allocated")
        // Deleting the Service frees its port for the next one that asks.
        _ = try await api.delete(services, namespace: "default", name: "np")
        let reused = try await api.create(services, namespace: "default", body: service("again", type: "NodePort", nodePort: port)).object
        #expect(reused[path: ["spec", "ports"]]?.arrayValue?.first?["nodePort"]?.intValue == port)
    }

    func nodePorts(_ svc: JSONValue) -> [Int64] {
        (svc[path: ["spec", "ports"]]?.arrayValue ?? []).compactMap { $0["nodePort"]?.intValue }
    }

    /// The update side of the service storage: a type change to NodePort allocates, a change
    /// back to ClusterIP drops and frees the ports, a changed node port takes the new one
    /// (refused when taken) and frees the old, a dry run and a refused update give back what
    /// they took.
    @Test func updatesAllocateAndFreeNodePorts() async throws {
        let api = try await newAPI()
        _ = try await api.create(services, namespace: "default", body: service("web", type: "ClusterIP"))
        // ClusterIP -> NodePort (kubectl patch svc web -p '{"spec":{"type":"NodePort"}}').
        let np = try await api.patch(services, namespace: "default", name: "web", type: .merge, patch: ["spec": ["type": "NodePort"]]).object
        let first = try #require(nodePorts(np).first)
        #expect((30000...32767).contains(first))
        // Held: nobody else gets it.
        let taken = await apiError { _ = try await api.create(services, namespace: "default", body: service("other", type: "NodePort", nodePort: first)) }
        #expect(taken?.message == "Service \"other\" is invalid: spec.ports[0].nodePort: Invalid value: \(first): provided port is already allocated")
        // A dry-run change to another port takes nothing.
        let wanted: Int64 = first == 31000 ? 31001 : 31000
        _ = try await api.patch(services, namespace: "default", name: "web", type: .strategic,
                                patch: ["spec": ["ports": [["port": 80, "nodePort": .int(wanted)]]]], options: WriteOptions(dryRun: true))
        let probe = try await api.create(services, namespace: "default", body: service("probe", type: "NodePort", nodePort: wanted)).object
        #expect(nodePorts(probe) == [wanted])
        // Asking for a port another Service holds is refused, and the Service keeps its own.
        let refused = await apiError {
            _ = try await api.patch(services, namespace: "default", name: "web", type: .strategic, patch: ["spec": ["ports": [["port": 80, "nodePort": .int(wanted)]]]])
        }
        #expect(refused?.message == "Service \"web\" is invalid: spec.ports[0].nodePort: Invalid value: \(wanted): provided port is already allocated")
        _ = try await api.delete(services, namespace: "default", name: "probe")
        // Now free: the Service moves to it, and its old port is free again.
        let moved = try await api.patch(services, namespace: "default", name: "web", type: .strategic,
                                        patch: ["spec": ["ports": [["port": 80, "nodePort": .int(wanted)]]]]).object
        #expect(nodePorts(moved) == [wanted])
        let reuse = try await api.create(services, namespace: "default", body: service("reuse", type: "NodePort", nodePort: first)).object
        #expect(nodePorts(reuse) == [first])
        // NodePort -> ClusterIP drops the node ports (dropTypeDependentFields) and frees them.
        let plain = try await api.patch(services, namespace: "default", name: "web", type: .merge, patch: ["spec": ["type": "ClusterIP"]]).object
        #expect(nodePorts(plain).isEmpty)
        let again = try await api.create(services, namespace: "default", body: service("again", type: "NodePort", nodePort: wanted)).object
        #expect(nodePorts(again) == [wanted])
    }

    /// A TCP and a UDP port of one Service may share a node port number (DNS on 53 both ways).
    @Test func tcpAndUDPPortsShareANodePort() async throws {
        let api = try await newAPI()
        let body: JSONValue = ["metadata": ["name": "dns"], "spec": ["type": "NodePort", "selector": ["app": "dns"], "ports": [
            ["name": "tcp", "port": 53, "protocol": "TCP", "nodePort": 30053],
            ["name": "udp", "port": 53, "protocol": "UDP", "nodePort": 30053],
        ]]]
        let dns = try await api.create(services, namespace: "default", body: body).object
        #expect(nodePorts(dns) == [30053, 30053])
        _ = try await api.delete(services, namespace: "default", name: "dns")
        let next = try await api.create(services, namespace: "default", body: service("next", type: "NodePort", nodePort: 30053)).object
        #expect(nodePorts(next) == [30053])
    }
}
