import KubeModel
import Testing
@testable import Networking

/// kube-proxy's choice of endpoints, without a server.
struct EndpointSelectionTests {
    let service = Service(Fixtures.service("web", ports: [["name": "http", "port": 80, "targetPort": 3000, "protocol": "TCP"],
                                                          ["name": "dns", "port": 53, "protocol": "UDP"]]))

    func select(_ port: ServicePortReference, _ slices: [JSONValue]) -> [String] {
        EndpointSelection.endpoints(of: service, port: port, slices: slices.map(EndpointSlice.init)).map(\.description)
    }

    @Test func readyEndpointsOnlySortedAndDeduplicatedAcrossSlices() {
        let a = Fixtures.slice("web-a", service: "web", endpoints: [Fixtures.endpoint("10.0.0.3"), Fixtures.endpoint("10.0.0.1", ready: false)])
        let b = Fixtures.slice("web-b", service: "web", endpoints: [Fixtures.endpoint("10.0.0.2"), Fixtures.endpoint("10.0.0.3")])
        #expect(select(80, [a, b]) == ["10.0.0.2:3000", "10.0.0.3:3000"])
        #expect(select("http", [a, b]) == ["10.0.0.2:3000", "10.0.0.3:3000"])
    }

    @Test func unknownConditionsReadAsReady() {
        let s = Fixtures.slice("web-a", service: "web", endpoints: [Fixtures.endpoint("10.0.0.1", ready: nil)])
        #expect(select(80, [s]) == ["10.0.0.1:3000"])
    }

    @Test func servingTerminatingEndpointsOnlyWhenNoneIsReady() {
        let draining = Fixtures.endpoint("10.0.0.1", ready: false, serving: true, terminating: true)
        let gone = Fixtures.endpoint("10.0.0.2", ready: false, serving: false, terminating: true)
        let notReady = Fixtures.endpoint("10.0.0.4", ready: false, serving: false, terminating: false)
        #expect(select(80, [Fixtures.slice("s", service: "web", endpoints: [draining, gone, notReady])]) == ["10.0.0.1:3000"])
        let withReady = Fixtures.slice("s", service: "web", endpoints: [draining, gone, Fixtures.endpoint("10.0.0.3")])
        #expect(select(80, [withReady]) == ["10.0.0.3:3000"])
    }

    @Test func portsMatchByNameAndProtocol() {
        let s = Fixtures.slice("s", service: "web", endpoints: [Fixtures.endpoint("10.0.0.1")],
                               ports: [["name": "http", "port": 3000, "protocol": "TCP"], ["name": "dns", "port": 5353, "protocol": "UDP"]])
        #expect(select(53, [s]) == ["10.0.0.1:5353"])
        #expect(select("dns", [s]) == ["10.0.0.1:5353"])
        // A port the Service does not have, and a slice that lacks the Service's port.
        #expect(select(81, [s]).isEmpty)
        let other = Fixtures.slice("o", service: "web", endpoints: [Fixtures.endpoint("10.0.0.9")], ports: [["name": "metrics", "port": 9090]])
        #expect(select(80, [other]).isEmpty)
    }

    @Test func anUnnamedPortMatchesAnUnnamedSlicePort() {
        let single = Service(Fixtures.service("one", ports: [["port": 80, "targetPort": 8080]]))
        let s = EndpointSlice(Fixtures.slice("one-x", service: "one", endpoints: [Fixtures.endpoint("10.0.0.5", pod: "one-x", node: "n1")],
                                             ports: [["name": "", "port": 8080, "protocol": "TCP"]]))
        let got = EndpointSelection.endpoints(of: single, port: 80, slices: [s])
        #expect(got == [ServiceEndpoint(ip: "10.0.0.5", port: 8080, nodeName: "n1", pod: "default/one-x")])
    }
}
