import Foundation
import KubeModel
import Testing
@testable import Nodes

/// A node's repeated status report over the Node as stored: conditions keep their transition
/// time while their status holds, and a node keeps its identity unless it reports its own.
@Suite struct NodeStatusReportTests {
    static let t1 = Date(timeIntervalSince1970: 1_800_000_000), t2 = Date(timeIntervalSince1970: 1_800_000_300)

    static func node(ready: String, bootID: String) -> JSONValue {
        var conditions = NodeObject.healthyConditions(now: t1).arrayValue ?? []
        if let i = conditions.firstIndex(where: { $0["type"] == "Ready" }) { conditions[i]["status"] = .string(ready) }
        return ["metadata": ["name": "n"], "status": ["conditions": .array(conditions), "nodeInfo": ["bootID": .string(bootID), "machineID": "m", "systemUUID": "u"]]]
    }

    static func fresh() -> JSONValue {
        ["conditions": NodeObject.healthyConditions(now: t2), "nodeInfo": ["bootID": "new-boot", "machineID": "m2", "systemUUID": "u2"]]
    }

    static func transition(_ status: JSONValue, _ type: String) -> String? {
        Node(["status": status]).status.conditions[type: type]?.json["lastTransitionTime"]?.stringValue
    }

    @Test func anUnchangedConditionKeepsItsTransitionTime() {
        let status = NodeObject.carryingOver(Self.fresh(), from: Self.node(ready: "True", bootID: "b1"))
        #expect(Self.transition(status, "Ready") == Timestamp.format(Self.t1))
        #expect(Self.transition(status, "MemoryPressure") == Timestamp.format(Self.t1))
        // The heartbeat is the report's own.
        #expect(Node(["status": status]).status.conditions[type: "Ready"]?.lastHeartbeatTime == Self.t2)
    }

    @Test func aChangedConditionTransitionsNow() {
        let status = NodeObject.carryingOver(Self.fresh(), from: Self.node(ready: "Unknown", bootID: "b1"))
        #expect(Self.transition(status, "Ready") == Timestamp.format(Self.t2))
        #expect(Self.transition(status, "MemoryPressure") == Timestamp.format(Self.t1))
    }

    @Test func identityIsKeptUnlessTheNodeReportsItsOwn() {
        let old = Self.node(ready: "True", bootID: "b1")
        #expect(NodeObject.carryingOver(Self.fresh(), from: old)[path: ["nodeInfo", "bootID"]] == "b1")
        #expect(NodeObject.carryingOver(Self.fresh(), from: old, keepingIdentity: false)[path: ["nodeInfo", "bootID"]] == "new-boot")
        #expect(ProcessNode.systemUUID("a") == ProcessNode.systemUUID("a") && ProcessNode.systemUUID("a") != ProcessNode.systemUUID("b"))
        #expect(ProcessNode.systemUUID("a").split(separator: "-").map(\.count) == [8, 4, 4, 4, 12])
    }
}
