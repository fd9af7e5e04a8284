import Foundation
import KubeModel
import Testing
@testable import Controllers

/// The subsets of a Service's Endpoints object, as `endpoints_controller_test.go` and
/// `pkg/api/v1/endpoints/util_test.go` check them.
@Suite struct EndpointSubsetsTests {
    typealias T = EndpointSliceComputationTests

    func subsets(_ svc: JSONValue, _ pods: [JSONValue]) -> [JSONValue] {
        EndpointSubsets.repack(EndpointSubsets.entries(service: svc, pods: pods))
    }

    static func address(_ name: String, _ ip: String) -> JSONValue {
        ["ip": .string(ip), "nodeName": "node-1", "targetRef": ["kind": "Pod", "namespace": "default", "name": .string(name), "uid": .string("uid-" + name)]]
    }

    @Test func readyAndNotReadyAddressesShareOneSubsetPerPortSet() {
        let pods = [T.pod("b", ip: "10.244.1.7"), T.pod("a", ip: "10.244.0.5"), T.pod("c", ip: "10.244.0.10", ready: false)]
        #expect(subsets(T.service(), pods) == [[
            "addresses": [Self.address("a", "10.244.0.5"), Self.address("b", "10.244.1.7")],
            "notReadyAddresses": [Self.address("c", "10.244.0.10")],
            "ports": [["name": "http", "port": 3000, "protocol": "TCP"]],
        ]])
    }

    @Test func terminatingPodsAreLeftOutUnlessNotReadyAddressesArePublished() {
        let pods = [T.pod("a", ip: "10.244.0.5"), T.pod("gone", ip: "10.244.0.6", deleting: true)]
        #expect(subsets(T.service(), pods).first?["addresses"]?.arrayValue?.count == 1)
        let published = subsets(T.service(publishNotReady: true), pods + [T.pod("slow", ip: "10.244.0.7", ready: false)])
        #expect(published.first?["addresses"]?.arrayValue?.count == 3)
        #expect(published.first?["notReadyAddresses"] == nil)
    }

    @Test func podsResolvingANamedPortDifferentlyGetSeparateSubsets() {
        let svc = T.service(ports: [["port": 80, "protocol": "TCP", "targetPort": "http"]])
        let pods = [T.pod("a", ip: "10.244.0.5", containerPorts: [["name": "http", "containerPort": 3000]]),
                    T.pod("b", ip: "10.244.0.6", containerPorts: [["name": "http", "containerPort": 8080]]),
                    T.pod("none", ip: "10.244.0.7")]
        #expect(subsets(svc, pods) == [
            ["addresses": [Self.address("a", "10.244.0.5")], "ports": [["port": 3000, "protocol": "TCP"]]],
            ["addresses": [Self.address("b", "10.244.0.6")], "ports": [["port": 8080, "protocol": "TCP"]]],
        ])
    }

    @Test func aHeadlessServiceWithoutPortsListsAddressesOnly() {
        let svc = T.service(ports: [], clusterIP: "None")
        #expect(subsets(svc, [T.pod("a", ip: "10.244.0.5")]) == [["addresses": [Self.address("a", "10.244.0.5")]]])
        #expect(subsets(T.service(ports: []), [T.pod("a", ip: "10.244.0.5")]).isEmpty)
    }

    @Test func overCapacityKeepsReadyAddressesFirst() {
        func addresses(_ n: Int, _ prefix: String) -> JSONValue {
            .array((0..<n).map { Self.address("\(prefix)\($0)", "10.\($0 / 250).\($0 % 250).1") })
        }
        var subsets: [JSONValue] = [["addresses": addresses(800, "r"), "notReadyAddresses": addresses(400, "n"), "ports": [["port": 80]]]]
        #expect(EndpointSubsets.truncate(&subsets))
        #expect(subsets[0]["addresses"]?.arrayValue?.count == 800)
        #expect(subsets[0]["notReadyAddresses"]?.arrayValue?.count == 200)
        #expect(EndpointSubsets.capacityAnnotationCorrect([EndpointSubsets.overCapacityAnnotation: "truncated"], subsets))

        var ready: [JSONValue] = [["addresses": addresses(1500, "a")], ["addresses": addresses(500, "b"), "notReadyAddresses": addresses(3, "n")]]
        #expect(EndpointSubsets.truncate(&ready))
        #expect(ready.map { $0["addresses"]?.arrayValue?.count ?? 0 } == [750, 250])
        #expect(ready[1]["notReadyAddresses"] == nil)

        var small: [JSONValue] = [["addresses": addresses(3, "a")]]
        #expect(!EndpointSubsets.truncate(&small))
        #expect(EndpointSubsets.capacityAnnotationCorrect([:], small))
    }
}
