import KubeModel
import Testing
@testable import Nodes

/// A fleet file (`kind: Fleet`) as `kplane up --fleet` reads it: node groups of both kinds, and
/// a clear error naming the field for what it cannot take.
@Suite struct FleetConfigTests {
    func fleet(_ groups: JSONValue) -> JSONValue {
        ["apiVersion": "kplane.dev/v1alpha1", "kind": "Fleet", "nodeGroups": groups]
    }

    @Test func groupsOfSimulatedAndProcessNodes() throws {
        let config = try FleetConfig(fleet: fleet([
            ["namePrefix": "sim-", "count": 3, "cpu": "8", "memory": "32Gi", "pods": 250, "labels": ["zone": "a"]],
            ["namePrefix": "proc-", "count": 1, "type": "process"],
        ]))
        #expect(config.groups.map(\.namePrefix) == ["sim-", "proc-"])
        #expect(config.groups.map(\.processBacked) == [false, true])
        #expect(config.groups[0].cpu == "8" && config.groups[0].memory == "32Gi" && config.groups[0].maxPods == 250)
        #expect(config.groups[0].labels == ["zone": "a"])
        #expect(config.groups[1].maxPods == 110)
    }

    @Test(arguments: [
        (["count": 1, "type": "vm"],
         "nodeGroups[0].type: Unsupported value: \"vm\": supported values: \"simulated\", \"process\""),
        (["namePrefix": "x-"], "nodeGroups[0].count: a number of nodes is required"),
        (["count": 1, "cpu": "lots"], "nodeGroups[0].cpu: \(Quantity.formatMessage)"),
        (["count": 1, "taints": [["key": "k", "effect": "Never"]]],
         "nodeGroups[0].taints[0].effect: Unsupported value: \"Never\": supported values: \"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\""),
    ] as [(JSONValue, String)])
    func badGroupsAreErrorsNamingTheField(group: JSONValue, message: String) {
        #expect(throws: FleetConfig.Invalid.self) { try FleetConfig(fleet: fleet([group])) }
        do { _ = try FleetConfig(fleet: fleet([group])) } catch { #expect("\(error)" == message) }
    }

    @Test func aFileThatIsNotAFleetOrHasNoGroups() {
        #expect(throws: FleetConfig.Invalid.self) { try FleetConfig(fleet: ["kind": "Pod"]) }
        do { _ = try FleetConfig(fleet: fleet([])) } catch { #expect("\(error)" == "a fleet file needs at least one entry in nodeGroups") }
    }
}
