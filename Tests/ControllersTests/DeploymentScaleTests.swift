import Foundation
import KubeModel
import Testing
@testable import Controllers

/// Proportional scaling (`sync_test.go` `TestScale`) and the new/old ReplicaSet split of a
/// rolling update (`rolling_test.go`), case by case from Kubernetes' tables.
@Suite struct DeploymentScaleTests {
    typealias T = DeploymentUtilTests
    static let new = 7200, old = 3600, older = 0

    struct Scale: Sendable, CustomTestStringConvertible {
        let name: String
        /// The Deployment now and before the change (replicas, maxSurge).
        let deployment: (Int64, Int64), oldDeployment: (Int64, Int64)
        /// (name, replicas, created) of the new ReplicaSet and the old ones.
        let newRS: (String, Int64, Int)?, oldRSs: [(String, Int64, Int)]
        let expectedNew: Int64?, expectedOld: [Int64]
        /// desired-replicas annotations other than the old Deployment's replicas.
        var desiredReplicasAnnotations: [String: Int64] = [:]
        var newAvailable: Int64? = nil
        var maxUnavailable: Int64 = 0
        var testDescription: String { name }
    }

    @Test(arguments: [
        Scale(name: "normal scaling event: 10 -> 12", deployment: (12, 0), oldDeployment: (10, 0), newRS: ("foo-v1", 10, new), oldRSs: [],
              expectedNew: 12, expectedOld: []),
        Scale(name: "normal scaling event: 10 -> 5", deployment: (5, 0), oldDeployment: (10, 0), newRS: ("foo-v1", 10, new), oldRSs: [],
              expectedNew: 5, expectedOld: []),
        Scale(name: "proportional scaling: 5 -> 10", deployment: (10, 0), oldDeployment: (5, 0), newRS: ("foo-v2", 2, new),
              oldRSs: [("foo-v1", 3, old)], expectedNew: 4, expectedOld: [6]),
        Scale(name: "proportional scaling: 5 -> 3", deployment: (3, 0), oldDeployment: (5, 0), newRS: ("foo-v2", 2, new),
              oldRSs: [("foo-v1", 3, old)], expectedNew: 1, expectedOld: [2]),
        Scale(name: "proportional scaling: 9 -> 4", deployment: (4, 0), oldDeployment: (9, 0), newRS: ("foo-v2", 8, new),
              oldRSs: [("foo-v1", 1, old)], expectedNew: 4, expectedOld: [0]),
        Scale(name: "proportional scaling: 7 -> 10", deployment: (10, 0), oldDeployment: (7, 0), newRS: ("foo-v3", 2, new),
              oldRSs: [("foo-v2", 3, old), ("foo-v1", 2, older)], expectedNew: 3, expectedOld: [4, 3]),
        Scale(name: "proportional scaling: 13 -> 8", deployment: (8, 0), oldDeployment: (13, 0), newRS: ("foo-v3", 2, new),
              oldRSs: [("foo-v2", 8, old), ("foo-v1", 3, older)], expectedNew: 1, expectedOld: [5, 2]),
        Scale(name: "leftover distribution: 3 -> 4", deployment: (4, 0), oldDeployment: (3, 0), newRS: ("foo-v3", 1, new),
              oldRSs: [("foo-v2", 1, old), ("foo-v1", 1, older)], expectedNew: 2, expectedOld: [1, 1]),
        Scale(name: "leftover distribution: 3 -> 2", deployment: (2, 0), oldDeployment: (3, 0), newRS: ("foo-v3", 1, new),
              oldRSs: [("foo-v2", 1, old), ("foo-v1", 1, older)], expectedNew: 1, expectedOld: [1, 0]),
        Scale(name: "proportional scaling (no new rs): 4 -> 5", deployment: (5, 0), oldDeployment: (4, 0), newRS: nil,
              oldRSs: [("foo-v2", 2, old), ("foo-v1", 2, older)], expectedNew: nil, expectedOld: [3, 2]),
        Scale(name: "proportional scaling: 6 -> 0", deployment: (0, 0), oldDeployment: (6, 0), newRS: ("foo-v3", 3, new),
              oldRSs: [("foo-v2", 2, old), ("foo-v1", 1, older)], expectedNew: 0, expectedOld: [0, 0]),
        Scale(name: "proportional scaling: 0 -> 6", deployment: (6, 0), oldDeployment: (6, 0), newRS: ("foo-v3", 0, new),
              oldRSs: [("foo-v2", 0, old), ("foo-v1", 0, older)], expectedNew: 6, expectedOld: [0, 0]),
        Scale(name: "failed rs update", deployment: (5, 0), oldDeployment: (5, 0), newRS: ("foo-v3", 2, new),
              oldRSs: [("foo-v2", 1, old), ("foo-v1", 1, older)], expectedNew: 2, expectedOld: [2, 1], desiredReplicasAnnotations: ["foo-v2": 3]),
        Scale(name: "deployment with surge pods", deployment: (20, 2), oldDeployment: (10, 2), newRS: ("foo-v2", 6, new),
              oldRSs: [("foo-v1", 6, old)], expectedNew: 11, expectedOld: [11]),
        Scale(name: "change both surge and size", deployment: (50, 6), oldDeployment: (10, 3), newRS: ("foo-v2", 5, new),
              oldRSs: [("foo-v1", 8, old)], expectedNew: 22, expectedOld: [34]),
        Scale(name: "change both size and template", deployment: (14, 0), oldDeployment: (10, 0), newRS: nil,
              oldRSs: [("foo-v2", 7, new), ("foo-v1", 3, old)], expectedNew: nil, expectedOld: [10, 4]),
        Scale(name: "saturated but broken new replica set does not affect old pods", deployment: (2, 1), oldDeployment: (2, 1),
              newRS: ("foo-v2", 2, new), oldRSs: [("foo-v1", 1, old)], expectedNew: 2, expectedOld: [1], newAvailable: 0, maxUnavailable: 1),
    ])
    func scale(_ c: Scale) {
        let d = T.deployment(c.deployment.0, maxSurge: .int(c.deployment.1), maxUnavailable: .int(c.maxUnavailable))
        let before = T.deployment(c.oldDeployment.0, maxSurge: .int(c.oldDeployment.1), maxUnavailable: .int(c.maxUnavailable))
        // Each ReplicaSet carries the annotations the old Deployment's last sync left.
        func rs(_ spec: (String, Int64, Int)) -> JSONValue {
            let desired = c.desiredReplicasAnnotations[spec.0] ?? DeploymentUtil.replicas(before)
            return T.rs(spec.0, spec.1, created: spec.2, available: spec.0 == c.newRS?.0 ? (c.newAvailable ?? 0) : 0, annotations: [
                DeploymentUtil.desiredReplicasAnnotation: String(desired),
                DeploymentUtil.maxReplicasAnnotation: String(desired + DeploymentUtil.maxSurge(before)),
            ])
        }
        var sizes: [String: Int64] = [:]
        for spec in (c.newRS.map { [$0] } ?? []) + c.oldRSs { sizes[spec.0] = spec.1 }
        for step in DeploymentUtil.scaleSteps(d, newRS: c.newRS.map(rs), oldRSs: c.oldRSs.map(rs)) { sizes[step.rs.metaName] = step.replicas }
        if let newRS = c.newRS { #expect(sizes[newRS.0] == c.expectedNew, "new") }
        #expect(c.oldRSs.map { sizes[$0.0] } == c.expectedOld, "old")
    }

    /// Equal sizes and creation times: Kubernetes orders by name (reversed for additions), so
    /// the leftover goes to the same ReplicaSet whatever order the informer listed them in.
    @Test func leftoversFollowNamesWhenSizesAndAgesTie() {
        let d = T.deployment(3, maxSurge: 0, maxUnavailable: 0)
        let annotations = [DeploymentUtil.desiredReplicasAnnotation: "2", DeploymentUtil.maxReplicasAnnotation: "2"]
        let a = T.rs("foo-a", 1, annotations: annotations), b = T.rs("foo-b", 1, annotations: annotations)
        for (newRS, oldRS) in [(a, b), (b, a)] {
            let steps = DeploymentUtil.scaleSteps(d, newRS: newRS, oldRSs: [oldRS])
            #expect(steps.map { "\($0.rs.metaName)=\($0.replicas)" } == ["foo-b=2", "foo-a=1"])
        }
        let down = DeploymentUtil.scaleSteps(T.deployment(1, maxSurge: 0, maxUnavailable: 0), newRS: b, oldRSs: [a])
        #expect(down.map { "\($0.rs.metaName)=\($0.replicas)" } == ["foo-a=0", "foo-b=1"])
    }

    // MARK: - rolling_test.go

    @Test func reconcileNewReplicaSet() {
        // Deployment replicas, maxSurge, old replicas, new replicas, the new size (nil: no scaling).
        let cases: [(Int64, Int64, Int64, Int64, Int64?)] = [
            (10, 0, 10, 0, nil),  // Should not scale up.
            (10, 2, 10, 0, 2),
            (10, 2, 5, 0, 7),
            (10, 2, 10, 2, nil),
            (10, 2, 2, 11, 10),  // Should scale down.
        ]
        for (i, (replicas, maxSurge, oldReplicas, newReplicas, expected)) in cases.enumerated() {
            let d = T.deployment(replicas, maxSurge: .int(maxSurge), maxUnavailable: 0)
            let newRS = T.rs("foo-v2", newReplicas), oldRS = T.rs("foo-v1", oldReplicas)
            #expect(DeploymentUtil.reconcileNewReplicaSet(d, all: [newRS, oldRS], newRS: newRS) == expected, "scenario \(i)")
        }
    }

    @Test func reconcileOldReplicaSets() {
        // Deployment replicas, maxUnavailable, old replicas, new replicas, available old, available
        // new, the old size afterwards (nil: no scaling).
        let cases: [(Int64, Int64, Int64, Int64, Int64, Int64, Int64?)] = [
            (10, 0, 10, 0, 10, 0, 9),
            (10, 2, 10, 0, 10, 0, 8),
            (10, 2, 10, 0, 8, 0, 8),  // expect unhealthy replicas from old replica sets been cleaned up
            (10, 2, 10, 0, 9, 0, 8),  // 1 unhealthy replica cleaned up, and 1 ready pod scaled down
            (10, 2, 8, 2, 8, 0, nil),  // the new ReplicaSet's unavailable pods stop old ones going further
        ]
        for (i, (replicas, maxUnavailable, oldReplicas, newReplicas, oldAvailable, newAvailable, expected)) in cases.enumerated() {
            let d = T.deployment(replicas, maxSurge: 0, maxUnavailable: .int(maxUnavailable))
            let newRS = T.rs("foo-new", newReplicas, available: newAvailable), oldRS = T.rs("foo-old", oldReplicas, available: oldAvailable)
            // As the Rollout does it: clean up unhealthy replicas, then scale down from what that left.
            let maxScaledDown = DeploymentUtil.maxScaledDown(d, all: [oldRS, newRS], newRS: newRS)
            var old = oldRS
            var scaled: Int64 = 0
            if maxScaledDown > 0 {
                let cleanup = DeploymentUtil.cleanupUnhealthyReplicas([old], maxCleanupCount: maxScaledDown)
                old["spec"] = ["replicas": .int(cleanup.replicas[0])]
                let down = DeploymentUtil.scaleDownOldReplicaSetsForRollingUpdate(d, all: [old, newRS], oldRSs: [old])
                old["spec"] = ["replicas": .int(down.replicas[0])]
                scaled = cleanup.cleanedUp + down.scaledDown
            }
            #expect((scaled > 0 ? DeploymentUtil.replicas(old) : nil) == expected, "scenario \(i)")
        }
    }

    @Test func cleanupUnhealthyReplicas() {
        // Old replicas, available, max cleanup, cleaned up.
        let cases: [(Int64, Int64, Int64, Int64)] = [(10, 8, 1, 1), (10, 8, 3, 2), (10, 8, 0, 0), (10, 10, 3, 0)]
        for (i, (oldReplicas, available, maxCleanup, expected)) in cases.enumerated() {
            let result = DeploymentUtil.cleanupUnhealthyReplicas([T.rs("foo-v2", oldReplicas, available: available)], maxCleanupCount: maxCleanup)
            #expect(result.cleanedUp == expected && result.replicas == [oldReplicas - expected], "scenario \(i)")
        }
    }

    @Test func scaleDownOldReplicaSetsForRollingUpdate() {
        // Deployment replicas, maxUnavailable, available, old replicas, the old size afterwards
        // (nil: no scaling).
        let cases: [(Int64, Int64, Int64, Int64, Int64?)] = [
            (10, 0, 10, 10, 9),
            (10, 2, 10, 10, 8),
            (10, 2, 8, 10, nil),
            (10, 2, 10, 0, nil),
            (10, 2, 1, 10, nil),
        ]
        for (i, (replicas, maxUnavailable, available, oldReplicas, expected)) in cases.enumerated() {
            let d = T.deployment(replicas, maxSurge: 0, maxUnavailable: .int(maxUnavailable))
            let old = T.rs("foo-v2", oldReplicas, available: available)
            let result = DeploymentUtil.scaleDownOldReplicaSetsForRollingUpdate(d, all: [old], oldRSs: [old])
            #expect((result.scaledDown > 0 ? result.replicas[0] : nil) == expected, "scenario \(i)")
        }
    }
}
