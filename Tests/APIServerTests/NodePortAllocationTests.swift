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
}
