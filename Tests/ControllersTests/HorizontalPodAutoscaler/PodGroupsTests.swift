import Foundation
import KubeModel
import Testing
@testable import Controllers

/// TestGroupPods from replica_calculator_test.go.
struct PodGroupsTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var pods: [Pod]
        var metrics: PodMetricsInfo
        var resource = "cpu"
        var ready = 0
        var unready: Set<String> = []
        var missing: Set<String> = []
        var ignored: Set<String> = []
        var testDescription: String { name }
    }

    static let now = HPAFixtures.now
    static func ago(_ seconds: TimeInterval) -> Date { now.addingTimeInterval(-seconds) }
    static func pod(_ name: String, phase: String = "Succeeded", ready: Bool? = nil, since: Date? = nil, start: Date? = nil, deleting: Bool = false) -> Pod {
        HPAFixtures.pod(name, phase: phase, ready: ready, readySince: since, startTime: start, deleting: deleting)
    }

    static let cases: [Case] = [
        Case(name: "void", pods: [], metrics: [:]),
        Case(name: "count in a ready pod - memory", pods: [pod("bentham")],
             metrics: ["bentham": PodMetric(timestamp: now, window: 60, value: 1)], resource: "memory", ready: 1),
        Case(name: "unready a pod without ready condition - CPU", pods: [pod("lucretius", start: now)],
             metrics: ["lucretius": PodMetric(value: 1)], unready: ["lucretius"]),
        Case(name: "count in a ready pod with fresh metrics during initialization period - CPU",
             pods: [pod("bentham", ready: true, since: ago(30), start: ago(60))],
             metrics: ["bentham": PodMetric(timestamp: now, window: 30, value: 1)], ready: 1),
        Case(name: "unready a ready pod without fresh metrics during initialization period - CPU",
             pods: [pod("bentham", ready: true, since: ago(30), start: ago(60))],
             metrics: ["bentham": PodMetric(timestamp: now, window: 60, value: 1)], unready: ["bentham"]),
        Case(name: "unready an unready pod during initialization period - CPU",
             pods: [pod("lucretius", ready: false, since: ago(9 * 60 + 54), start: ago(600))],
             metrics: ["lucretius": PodMetric(value: 1)], unready: ["lucretius"]),
        Case(name: "count in a ready pod without fresh metrics after initialization period - CPU",
             pods: [pod("bentham", ready: true, since: ago(180), start: ago(180))],
             metrics: ["bentham": PodMetric(timestamp: ago(120), window: 60, value: 1)], ready: 1),
        Case(name: "count in an unready pod that was ready after initialization period - CPU",
             pods: [pod("lucretius", ready: false, since: ago(540), start: ago(600))],
             metrics: ["lucretius": PodMetric(value: 1)], ready: 1),
        Case(name: "unready pod that has never been ready after initialization period - CPU",
             pods: [pod("lucretius", ready: false, since: ago(9 * 60 + 50), start: ago(600))],
             metrics: ["lucretius": PodMetric(value: 1)], ready: 1),
        Case(name: "a missing pod", pods: [pod("epicurus", start: ago(180))], metrics: [:], missing: ["epicurus"]),
        Case(name: "several pods",
             pods: [pod("lucretius", start: now), pod("niccolo", ready: true, since: ago(180), start: ago(180)), pod("epicurus", start: ago(180))],
             metrics: ["lucretius": PodMetric(value: 1), "niccolo": PodMetric(value: 1)], ready: 1, unready: ["lucretius"], missing: ["epicurus"]),
        Case(name: "pending pods are unreadied", pods: [pod("unscheduled", phase: "Pending")], metrics: [:], unready: ["unscheduled"]),
        Case(name: "ignore pods with deletion timestamps", pods: [pod("deleted", phase: "Pending", deleting: true)],
             metrics: ["deleted": PodMetric(value: 1)], ignored: ["deleted"]),
        Case(name: "ignore pods in a failed state", pods: [pod("failed", phase: "Failed")], metrics: ["failed": PodMetric(value: 1)], ignored: ["failed"]),
    ]

    @Test(arguments: cases)
    func groupPods(_ tc: Case) {
        let groups = PodGroups(pods: tc.pods, metrics: tc.metrics, resource: tc.resource, cpuInitializationPeriod: 120,
                               delayOfInitialReadinessStatus: 10, now: Self.now)
        #expect(groups == PodGroups(readyPodCount: tc.ready, unreadyPods: tc.unready, missingPods: tc.missing, ignoredPods: tc.ignored))
    }
}
