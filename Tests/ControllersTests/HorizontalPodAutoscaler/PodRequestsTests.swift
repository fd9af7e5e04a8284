import Foundation
import KubeModel
import Testing
@testable import Controllers

/// TestCalculatePodRequests from replica_calculator_test.go, plus pod-level requests (KEP-2837).
struct PodRequestsTests {
    static func pod(containers: [JSONValue], initContainers: [JSONValue] = [], podRequests: JSONValue? = nil) -> Pod {
        var spec: JSONValue = ["containers": .array(containers)]
        if !initContainers.isEmpty { spec["initContainers"] = .array(initContainers) }
        if let podRequests { spec["resources"] = ["requests": podRequests] }
        return Pod(["metadata": ["name": "test-pod", "namespace": "test-namespace"], "spec": spec])
    }
    static func container(_ name: String, cpu: String?, restartPolicy: String? = nil) -> JSONValue {
        var c: JSONValue = ["name": .string(name)]
        if let cpu { c["resources"] = ["requests": ["cpu": .string(cpu)]] }
        if let restartPolicy { c["restartPolicy"] = .string(restartPolicy) }
        return c
    }

    @Test func void() throws {
        #expect(try PodRequests.calculate([], container: nil, resource: "cpu") == [:])
    }

    /// Requests anyone may write saturate rather than trap: two containers of 5e15 cores, and
    /// amounts no 128-bit number holds.
    @Test func hugeRequestsSaturate() throws {
        let p = Self.pod(containers: [Self.container("a", cpu: "5e15"), Self.container("b", cpu: "5e15")])
        #expect(try PodRequests.calculate([p], container: nil, resource: "cpu") == ["test-pod": .max])
        let q = Self.pod(containers: [Self.container("a", cpu: "999999999999999999999999999999Ei")])
        #expect(try PodRequests.calculate([q], container: nil, resource: "cpu") == ["test-pod": .max])
        let tiny = Self.pod(containers: [Self.container("a", cpu: "0.000000000000000000000000000001e-39")])
        #expect(try PodRequests.calculate([tiny], container: nil, resource: "cpu") == ["test-pod": 1])
    }

    @Test func regularContainersAreSummed() throws {
        let p = Self.pod(containers: [Self.container("container1", cpu: "100m"), Self.container("container2", cpu: "50m")])
        #expect(try PodRequests.calculate([p], container: nil, resource: "cpu") == ["test-pod": 150])
        #expect(try PodRequests.calculate([p], container: "container1", resource: "cpu") == ["test-pod": 100])
    }

    @Test func containerMissingRequests() {
        let p = Self.pod(containers: [Self.container("container1", cpu: nil)])
        #expect(throws: HPAError("missing request for cpu in container container1 of Pod test-pod")) {
            try PodRequests.calculate([p], container: nil, resource: "cpu")
        }
    }

    @Test func restartableInitContainersCount() throws {
        let p = Self.pod(containers: [Self.container("container1", cpu: "100m")],
                         initContainers: [Self.container("init-container1", cpu: "20m"),
                                          Self.container("restartable-container1", cpu: "50m", restartPolicy: "Always")])
        #expect(try PodRequests.calculate([p], container: nil, resource: "cpu") == ["test-pod": 150])
    }

    @Test func unknownContainer() {
        let p = Self.pod(containers: [Self.container("container1", cpu: "100m")])
        #expect(throws: HPAError("container sidecar not found in Pod test-pod")) {
            try PodRequests.calculate([p], container: "sidecar", resource: "cpu")
        }
    }

    @Test func podLevelRequestsWinUnlessAContainerIsNamed() throws {
        let p = Self.pod(containers: [Self.container("container1", cpu: "100m")], podRequests: ["cpu": "1", "memory": "1Gi"])
        #expect(try PodRequests.calculate([p], container: nil, resource: "cpu") == ["test-pod": 1000])
        #expect(try PodRequests.calculate([p], container: nil, resource: "memory") == ["test-pod": 1_073_741_824_000])
        #expect(try PodRequests.calculate([p], container: "container1", resource: "cpu") == ["test-pod": 100])
    }
}
