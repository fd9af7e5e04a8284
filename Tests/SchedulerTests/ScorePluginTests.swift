import KubeModel
import Testing
@testable import Scheduler

/// Scoring: where a feasible pod goes when several nodes would do.
@Suite struct ScorePluginTests {
    @Test func leastAllocatedPrefersTheEmptierNode() {
        let cache = Fixture.cluster([Fixture.node("busy"), Fixture.node("idle")], pods: [Fixture.pod("x", cpu: "3", memory: "12Gi", node: "busy")])
        #expect(Fixture.place([Fixture.pod("p", cpu: "500m", memory: "1Gi")], cache) == ["idle"])
    }

    @Test func leastAllocatedAndBalancedScores() {
        let node = NodeInfo(Fixture.node("n", cpu: "4", memory: "4Gi"))
        let pod = PodInfo(Fixture.pod("p", cpu: "1", memory: "3Gi"))
        // cpu 75% free, memory 25% free: (75 + 25) / 2.
        #expect(NodeResourcesFit().score(pod, node, CycleState()) == 50)
        // Shares 0.25 and 0.75: the deviation is 0.25, so 75.
        #expect(BalancedAllocation().score(pod, node, CycleState()) == 75)
        // A pod that asks for nothing counts as 100m and 200Mi when scoring.
        #expect(NodeResourcesFit().score(PodInfo(Fixture.pod("q")), node, CycleState()) == (97 + 95) / 2)
    }

    @Test func preferredNodeAffinityWins() {
        let cache = Fixture.cluster([Fixture.node("a", labels: ["disk": "hdd"]), Fixture.node("b", labels: ["disk": "ssd"]), Fixture.node("c")])
        let prefer: [String: JSONValue] = ["affinity": ["nodeAffinity": ["preferredDuringSchedulingIgnoredDuringExecution": [
            ["weight": 80, "preference": ["matchExpressions": [["key": "disk", "operator": "In", "values": ["ssd"]]]]]]]]]
        #expect(Fixture.place([Fixture.pod("p", spec: prefer)], cache) == ["b"])
    }

    @Test func preferNoScheduleTaintsAreAvoided() {
        let cache = Fixture.cluster([Fixture.node("a", taints: [Taint(key: "spot", effect: "PreferNoSchedule")]), Fixture.node("b")])
        #expect(Fixture.place((1...3).map { Fixture.pod("p\($0)", cpu: "100m") }, cache) == ["b", "b", "b"])
    }

    @Test func anOwnersPodsSpreadOverNodes() {
        let cache = Fixture.cluster((1...5).map { Fixture.node("n\($0)") })
        let placed = Fixture.place((1...10).map { Fixture.pod("web-\($0)", owner: "rs-1") }, cache)
        for n in 1...5 { #expect(placed.filter { $0 == "n\(n)" }.count == 2, "\(placed)") }
    }

    @Test func preferredAntiAffinitySpreadsAndPreferredAffinityGathers() {
        let cache = Fixture.cluster([Fixture.node("a"), Fixture.node("b")], pods: [Fixture.pod("db", labels: ["app": "db"], node: "a")])
        func term(_ kind: String) -> [String: JSONValue] {
            ["affinity": [.init(stringLiteral: kind): ["preferredDuringSchedulingIgnoredDuringExecution": [
                ["weight": 100, "podAffinityTerm": ["labelSelector": ["matchLabels": ["app": "db"]], "topologyKey": "kubernetes.io/hostname"]]]]]]
        }
        #expect(Fixture.place([Fixture.pod("near", spec: term("podAffinity"))], cache) == ["a"])
        #expect(Fixture.place([Fixture.pod("far", spec: term("podAntiAffinity"))], cache) == ["b"])
    }

    @Test(arguments: [(3, 3), (99, 99), (100, 100), (500, 230), (1000, 420), (5000, 500), (10000, 500)])
    func feasibleNodesToFind(total: Int, expected: Int) {
        #expect(Framework.feasibleToFind(total) == expected)
    }

    @Test func bigClustersStopFilteringOnceEnoughNodesFit() {
        let cache = Fixture.cluster((1...1000).map { Fixture.node("n\($0)") })
        guard case .scheduled(_, let feasible) = Fixture.schedule(Fixture.pod("p"), cache) else {
            Issue.record("not scheduled")
            return
        }
        #expect(feasible == 420)
        // The next cycle starts where this one stopped, so every node gets its turn.
        #expect(cache.state.withLock { $0.nextStart } == 420)
    }
}
