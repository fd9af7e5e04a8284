import Foundation
import KubeModel
import Testing
@testable import Controllers

/// The rollout arithmetic, case by case from Kubernetes' own tables
/// (`pkg/controller/deployment/util/deployment_util_test.go`, `sync_test.go`, `rolling_test.go`).
@Suite struct DeploymentUtilTests {
    /// A Deployment as the Kubernetes tests build it: RollingUpdate with the given fenceposts
    /// (nil leaves one out), or Recreate.
    static func deployment(_ replicas: Int64, maxSurge: JSONValue? = 0, maxUnavailable: JSONValue? = 0, recreate: Bool = false,
                           statusReplicas: Int64 = 0) -> JSONValue {
        var rollingUpdate: JSONValue = .emptyObject
        if let maxSurge { rollingUpdate["maxSurge"] = maxSurge }
        if let maxUnavailable { rollingUpdate["maxUnavailable"] = maxUnavailable }
        let strategy: JSONValue = recreate ? ["type": "Recreate"] : ["type": "RollingUpdate", "rollingUpdate": rollingUpdate]
        return ["apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "foo", "namespace": "default"],
                "spec": ["replicas": .int(replicas), "strategy": strategy], "status": ["replicas": .int(statusReplicas)]]
    }

    /// A ReplicaSet of `replicas`, created at `created` (seconds into 2016-05-20), with the given
    /// status counts and annotations.
    static func rs(_ name: String, _ replicas: Int64, created: Int = 0, available: Int64 = 0, statusReplicas: Int64 = 0,
                   annotations: [String: String] = [:]) -> JSONValue {
        let timestamp = Timestamp.format(Date(timeIntervalSince1970: 1_463_702_400 + Double(created)))
        var meta: JSONValue = ["name": .string(name), "namespace": "default", "uid": .string(name), "creationTimestamp": .string(timestamp)]
        if !annotations.isEmpty { meta["annotations"] = .object(annotations.mapValues { .string($0) }) }
        return ["apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": meta, "spec": ["replicas": .int(replicas)],
                "status": ["replicas": .int(statusReplicas), "availableReplicas": .int(available)]]
    }

    // MARK: - deployment_util_test.go

    struct Fenceposts: Sendable, CustomTestStringConvertible {
        let maxSurge: String?, maxUnavailable: String?, desired: Int64
        let surge: Int64, unavailable: Int64, error: Bool
        var testDescription: String { "\(maxSurge ?? "nil")/\(maxUnavailable ?? "nil") of \(desired)" }
    }

    @Test(arguments: [
        Fenceposts(maxSurge: "0%", maxUnavailable: "0%", desired: 0, surge: 0, unavailable: 1, error: false),
        Fenceposts(maxSurge: "39%", maxUnavailable: "39%", desired: 10, surge: 4, unavailable: 3, error: false),
        Fenceposts(maxSurge: "oops", maxUnavailable: "39%", desired: 10, surge: 0, unavailable: 0, error: true),
        Fenceposts(maxSurge: "55%", maxUnavailable: "urg", desired: 10, surge: 0, unavailable: 0, error: true),
        Fenceposts(maxSurge: nil, maxUnavailable: "39%", desired: 10, surge: 0, unavailable: 3, error: false),
        Fenceposts(maxSurge: "39%", maxUnavailable: nil, desired: 10, surge: 4, unavailable: 0, error: false),
        Fenceposts(maxSurge: nil, maxUnavailable: nil, desired: 10, surge: 0, unavailable: 1, error: false),
    ])
    func resolveFenceposts(_ c: Fenceposts) {
        let result = Result {
            try DeploymentUtil.resolveFenceposts(maxSurge: c.maxSurge.map { .string($0) }, maxUnavailable: c.maxUnavailable.map { .string($0) },
                                                 desired: c.desired)
        }
        switch result {
        case .success(let (surge, unavailable)):
            #expect(!c.error)
            #expect(surge == c.surge && unavailable == c.unavailable)
        case .failure:
            #expect(c.error)
        }
    }

    @Test func newRSNewReplicas() {
        // name, strategy, Deployment replicas, new ReplicaSet's replicas, maxSurge, expected; beside
        // a ReplicaSet of 5.
        let cases: [(String, Bool, Int64, Int64, Int64, Int64)] = [
            ("can not scale up - to newRSReplicas", false, 1, 5, 1, 5),
            ("scale up - to depReplicas", false, 6, 2, 10, 6),
            ("recreate - to depReplicas", true, 3, 1, 1, 3),
        ]
        for (name, recreate, depReplicas, newReplicas, maxSurge, expected) in cases {
            let d = Self.deployment(depReplicas, maxSurge: .int(maxSurge), maxUnavailable: 1, recreate: recreate)
            let got = DeploymentUtil.newRSNewReplicas(d, all: [Self.rs("rs5", 5)], newRS: Self.rs("new", newReplicas))
            #expect(got == expected, "\(name)")
        }
    }

    @Test func maxUnavailable() {
        let cases: [(String, JSONValue, Int64)] = [
            ("maxUnavailable less than replicas", Self.deployment(10, maxSurge: 1, maxUnavailable: 5), 5),
            ("maxUnavailable equal replicas", Self.deployment(10, maxSurge: 1, maxUnavailable: 10), 10),
            ("maxUnavailable greater than replicas", Self.deployment(5, maxSurge: 1, maxUnavailable: 10), 5),
            ("maxUnavailable with replicas is 0", Self.deployment(0, maxSurge: 1, maxUnavailable: 10), 0),
            ("maxUnavailable with Recreate deployment strategy", Self.deployment(1, recreate: true), 0),
            ("maxUnavailable less than replicas with percents", Self.deployment(10, maxSurge: 1, maxUnavailable: "50%"), 5),
            ("maxUnavailable equal replicas with percents", Self.deployment(10, maxSurge: 1, maxUnavailable: "100%"), 10),
            ("maxUnavailable greater than replicas with percents", Self.deployment(5, maxSurge: 1, maxUnavailable: "100%"), 5),
        ]
        for (name, d, expected) in cases { #expect(DeploymentUtil.maxUnavailable(d) == expected, "\(name)") }
    }

    @Test func getReplicaCountForReplicaSets() {
        let rs1 = Self.rs("foo-rs", 1, statusReplicas: 2), rs2 = Self.rs("bar-rs", 2, statusReplicas: 3)
        let rs3 = Self.rs("unsynced-rs", 3, statusReplicas: 0), rs4 = Self.rs("dropped-rs", 1, statusReplicas: 1)
        // name, sets, spec count, actual (status) count
        let cases: [(String, [JSONValue], Int64, Int64)] = [
            ("scaling down rs1", [rs1], 1, 2),
            ("scaling down rs1 and rs2", [rs1, rs2], 3, 5),
            ("scaling up rs3", [rs3], 3, 0),
            ("scaling down rs1 and rs2 and scaling up rs3", [rs1, rs2, rs3], 6, 5),
            ("invalid/unknown terminating status for rs4", [rs4], 1, 1),
            ("invalid/unknown terminating status for rs4 with rs1, rs2 and rs3", [rs1, rs2, rs3, rs4], 7, 6),
        ]
        for (name, sets, count, actual) in cases {
            #expect(DeploymentUtil.getReplicaCountForReplicaSets(sets) == count, "\(name)")
            #expect(DeploymentUtil.sumStatus(sets, \.replicas) == actual, "\(name)")
        }
    }

    struct Fraction: Sendable, CustomTestStringConvertible {
        let name: String
        var deploymentReplicas: Int64 = 0, deploymentStatusReplicas: Int64 = 0, deploymentMaxSurge: Int64 = 0, rsReplicas: Int64 = 0
        var maxReplicasAnnotation: String? = nil
        let expected: Int64
        var testDescription: String { name }
    }

    @Test(arguments: [
        Fraction(name: "empty deployment always scales to 0", deploymentReplicas: 0, rsReplicas: 10, expected: -10),
        Fraction(name: "unsynced deployment does not scale when max-replicas annotation is missing (removed by a 3rd party)",
                 deploymentReplicas: 10, rsReplicas: 5, expected: 0),
        Fraction(name: "unsynced deployment does not scale when max-replicas annotation is incorrectly set to 0 (by a 3rd party)",
                 deploymentReplicas: 10, rsReplicas: 5, maxReplicasAnnotation: "0", expected: 0),
        Fraction(name: "scale up by 1/5 should increase RS replicas by 1/5 when max-replicas annotation is missing (removed by a 3rd party)",
                 deploymentReplicas: 120, deploymentStatusReplicas: 100, rsReplicas: 50, expected: 10),
        Fraction(name: "scale up by 1/5 should increase RS replicas by 1/5 when max-replicas annotation is incorrectly set to 0 (by a 3rd party)",
                 deploymentReplicas: 120, deploymentStatusReplicas: 100, rsReplicas: 50, maxReplicasAnnotation: "0", expected: 10),
        Fraction(name: "scale up by 1/5 should increase RS replicas by 1/5", deploymentReplicas: 120, rsReplicas: 50,
                 maxReplicasAnnotation: "100", expected: 10),
        Fraction(name: "scale up with maxSurge by 1/5 should increase RS replicas approximately by 1/5", deploymentReplicas: 120,
                 deploymentMaxSurge: 10, rsReplicas: 50, maxReplicasAnnotation: "110", expected: 9),
        Fraction(name: "scale down by 1/6 should decrease RS replicas by 1/6", deploymentReplicas: 10, rsReplicas: 6,
                 maxReplicasAnnotation: "12", expected: -1),
        Fraction(name: "scale down with maxSurge by 1/6 should decrease RS replicas approximately by 1/6", deploymentReplicas: 100,
                 deploymentMaxSurge: 10, rsReplicas: 50, maxReplicasAnnotation: "130", expected: -8),
    ])
    func getReplicaSetFraction(_ c: Fraction) {
        let d = Self.deployment(c.deploymentReplicas, maxSurge: .int(c.deploymentMaxSurge), maxUnavailable: 1, statusReplicas: c.deploymentStatusReplicas)
        let rs = Self.rs("rs", c.rsReplicas, annotations: c.maxReplicasAnnotation.map { [DeploymentUtil.maxReplicasAnnotation: $0] } ?? [:])
        #expect(DeploymentUtil.getReplicaSetFraction(rs, d) == c.expected)
    }

    @Test func maxReplicasAnnotationIsANonNegativeInt32() {
        let cases: [(String?, Int64?)] = [(nil, nil), ("invalid", nil), ("-1", nil), ("0", 0), ("13", 13), ("2147483647", 2_147_483_647),
                                          ("2147483648", nil), ("4294967296", nil)]
        for (value, expected) in cases {
            let rs = Self.rs("rs", 1, annotations: value.map { [DeploymentUtil.maxReplicasAnnotation: $0] } ?? [:])
            #expect(DeploymentUtil.maxReplicasAnnotationValue(rs) == expected, "\(value ?? "nil")")
        }
    }
}
